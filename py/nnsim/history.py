"""A time series whose memory stays bounded however long training runs.

Values are averaged over a stride of iterations into one point [iteration, mean]. When the
series holds more than `capacity` points, neighbouring pairs are merged (their mean, at the
later iteration) and the stride doubles, so old history is kept at a coarser resolution.

With `spread=True` each point also keeps the lowest and highest value it covers,
[iteration, mean, low, high] (merged as the min and max), so a mean over many iterations
still shows how far apart its single values were (the XOR cost chart's band).
"""


class BoundedSeries:
    def __init__(self, capacity=1000, spread=False):
        if capacity < 2:
            raise ValueError("capacity: must be at least 2")
        self.capacity = capacity
        self.spread = spread
        self.points = []
        self.stride = 1
        self._sum = 0.0
        self._count = 0
        self._low = self._high = None

    def add(self, iteration, value, low=None, high=None):
        """Add one value (with spread: the lowest and highest single values it stands for,
        default the value itself); True if this completed a point."""
        self._sum += value
        self._count += 1
        if self.spread:
            low = value if low is None else low
            high = value if high is None else high
            self._low = low if self._low is None else min(self._low, low)
            self._high = high if self._high is None else max(self._high, high)
        if self._count < self.stride:
            return False
        point = [iteration, self._sum / self._count]
        if self.spread:
            point += [self._low, self._high]
        self.points.append(point)
        self._sum = 0.0
        self._count = 0
        self._low = self._high = None
        if len(self.points) > self.capacity:
            self._halve()
        return True

    def means(self):
        """[[iteration, mean], ...]"""
        return [p[:2] for p in self.points]

    def ranges(self):
        """[[iteration, low, high], ...] (spread series only)"""
        return [[p[0], p[2], p[3]] for p in self.points]

    def _halve(self):
        points = self.points
        merged = []
        for k in range(0, len(points) - 1, 2):
            first, second = points[k], points[k + 1]
            point = [second[0], (first[1] + second[1]) / 2.0]
            if self.spread:
                point += [min(first[2], second[2]), max(first[3], second[3])]
            merged.append(point)
        if len(points) % 2:
            merged.append(points[-1])
        self.points = merged
        self.stride *= 2

    def to_dict(self):
        return {"capacity": self.capacity, "points": [list(p) for p in self.points],
                "stride": self.stride, "sum": self._sum, "count": self._count,
                "low": self._low, "high": self._high}

    @classmethod
    def from_dict(cls, data, field, spread=False):
        """Undo of to_dict. A series saved without spread (an older save) gets each point's
        mean as its low and high."""
        try:
            series = cls(int(data["capacity"]), spread)
            points = [[int(p[0]), *(float(v) for v in p[1:])] for p in data["points"]]
            if any(len(p) not in (2, 4) for p in points):
                raise ValueError("a point is [iteration, mean] or [iteration, mean, low, high]")
            if spread:
                points = [p if len(p) == 4 else [*p, p[1], p[1]] for p in points]
            else:
                points = [p[:2] for p in points]
            series.points = points
            series.stride = int(data["stride"])
            series._sum = float(data["sum"])
            series._count = int(data["count"])
            if spread and series._count:
                mean = series._sum / series._count
                low, high = data.get("low"), data.get("high")
                series._low = mean if low is None else float(low)
                series._high = mean if high is None else float(high)
        except (KeyError, TypeError, ValueError, IndexError) as error:
            raise ValueError(f"{field}: not a valid history ({error})") from None
        return series
