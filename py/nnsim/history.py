"""A time series whose memory stays bounded however long training runs.

Values are averaged over a stride of iterations into one point [iteration, mean]. When the
series holds more than `capacity` points, neighbouring pairs are merged (their mean, at the
later iteration) and the stride doubles, so old history is kept at a coarser resolution.

With `spread=True` each point also keeps the lowest and highest value it covers,
[iteration, mean, low, high] (merged as the min and max), so a mean over many iterations
still shows how far apart its single values were (the XOR cost chart's band).
"""

from .config import MAX_COUNT, finite_number, integer


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
        return {
            "capacity": self.capacity,
            "points": [list(p) for p in self.points],
            "stride": self.stride,
            "sum": self._sum,
            "count": self._count,
            "low": self._low,
            "high": self._high,
        }

    @classmethod
    def from_dict(cls, data, field, capacity, spread=False):
        """Undo of to_dict, checked: a saved series may hold at most `capacity` points (the
        trainer's own bound), so an imported history can never outgrow a live one. A series
        saved without spread (an older save) gets each point's mean as its low and high."""
        if not isinstance(data, dict):
            raise ValueError(f"{field}: expected an object")
        try:
            saved_capacity = integer(data["capacity"], f"{field}.capacity", 2, capacity)
            points = data["points"]
            if not isinstance(points, list) or len(points) > saved_capacity:
                raise ValueError(f"{field}.points: expected a list of at most {saved_capacity} points")
            checked = [
                _checked_point(point, f"{field}.points[{k}]", spread) for k, point in enumerate(points)
            ]
            stride = integer(data["stride"], f"{field}.stride", 1, MAX_COUNT)
            total = finite_number(data["sum"], f"{field}.sum")
            count = integer(data["count"], f"{field}.count", 0, stride - 1)
            low = high = None
            if spread and count:
                mean = total / count
                low, high = (
                    mean if data.get(key) is None else finite_number(data[key], f"{field}.{key}")
                    for key in ("low", "high")
                )
        except KeyError as missing:
            raise ValueError(f"{field}.{missing.args[0]}: missing") from None
        series = cls(saved_capacity, spread)
        series.points, series.stride, series._sum, series._count = checked, stride, total, count
        series._low, series._high = low, high
        return series


def _checked_point(point, field, spread):
    """[iteration, mean] or [iteration, mean, low, high] of finite numbers, as the series keeps
    it (with spread: always four numbers)."""
    if not isinstance(point, list) or len(point) not in (2, 4):
        raise ValueError(f"{field}: expected [iteration, mean] or [iteration, mean, low, high]")
    iteration = integer(point[0], f"{field}[0]", 0, MAX_COUNT)
    values = [finite_number(v, f"{field}[{n}]") for n, v in enumerate(point[1:], 1)]
    if not spread:
        return [iteration, values[0]]
    return [iteration, *values] if len(values) == 3 else [iteration, values[0], values[0], values[0]]
