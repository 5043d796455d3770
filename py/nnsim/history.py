"""A time series whose memory stays bounded however long training runs.

Values are averaged over a stride of iterations into one point [iteration, mean]. When the
series holds more than `capacity` points, neighbouring pairs are merged (their mean, at the
later iteration) and the stride doubles, so old history is kept at a coarser resolution.
"""

from .config import MAX_COUNT, finite_number, integer


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
    def from_dict(cls, data, field, capacity):
        """Undo of to_dict, checked: a saved series may hold at most `capacity` points (the
        trainer's own bound), so an imported history can never outgrow a live one."""
        if not isinstance(data, dict):
            raise ValueError(f"{field}: expected an object")
        try:
            saved_capacity = integer(data["capacity"], f"{field}.capacity", 2, capacity)
            points = data["points"]
            if not isinstance(points, list) or len(points) > saved_capacity:
                raise ValueError(f"{field}.points: expected a list of at most "
                                 f"{saved_capacity} [iteration, value] pairs")
            checked = []
            for k, point in enumerate(points):
                if not isinstance(point, list) or len(point) != 2:
                    raise ValueError(f"{field}.points[{k}]: expected [iteration, value]")
                checked.append([integer(point[0], f"{field}.points[{k}][0]", 0, MAX_COUNT),
                                finite_number(point[1], f"{field}.points[{k}][1]")])
            stride = integer(data["stride"], f"{field}.stride", 1, MAX_COUNT)
            total = finite_number(data["sum"], f"{field}.sum")
            count = integer(data["count"], f"{field}.count", 0, stride - 1)
        except KeyError as missing:
            raise ValueError(f"{field}.{missing.args[0]}: missing") from None
        series = cls(saved_capacity)
        series.points, series.stride, series._sum, series._count = checked, stride, total, count
        return series
