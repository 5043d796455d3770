"""A time series whose memory stays bounded however long training runs.

Values are averaged over a stride of iterations into one point [iteration, mean]. When the
series holds more than `capacity` points, neighbouring pairs are merged (their mean, at the
later iteration) and the stride doubles, so old history is kept at a coarser resolution.
"""


class BoundedSeries:
    def __init__(self, capacity=1000):
        if capacity < 2:
            raise ValueError("capacity: must be at least 2")
        self.capacity = capacity
        self.points = []
        self.stride = 1
        self._sum = 0.0
        self._count = 0

    def add(self, iteration, value):
        """Add one value; True if this completed a point."""
        self._sum += value
        self._count += 1
        if self._count < self.stride:
            return False
        self.points.append([iteration, self._sum / self._count])
        self._sum = 0.0
        self._count = 0
        if len(self.points) > self.capacity:
            self._halve()
        return True

    def _halve(self):
        points = self.points
        merged = [[points[k + 1][0], (points[k][1] + points[k + 1][1]) / 2.0]
                  for k in range(0, len(points) - 1, 2)]
        if len(points) % 2:
            merged.append(points[-1])
        self.points = merged
        self.stride *= 2

    def to_dict(self):
        return {"capacity": self.capacity, "points": [list(p) for p in self.points],
                "stride": self.stride, "sum": self._sum, "count": self._count}

    @classmethod
    def from_dict(cls, data, field):
        try:
            series = cls(int(data["capacity"]))
            series.points = [[int(i), float(v)] for i, v in data["points"]]
            series.stride = int(data["stride"])
            series._sum = float(data["sum"])
            series._count = int(data["count"])
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"{field}: not a valid history ({error})") from None
        return series
