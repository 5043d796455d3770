// Where every neuron of a network diagram goes, in pixels of the drawing's actual width, so
// text keeps its size on a phone and on a desktop. Geometry only: no network maths.
//
//   layoutNetwork(layers, {width, inputGrid, labelTop, labelRight})
//     -> {width, height, columns: [x per layer], neurons: [[{x, y, r, square}]] per layer}
//   The returned width is at most the given one: columns stay at most MAX_GAP apart.
//   layers: sizes [n0, ..., nL]; inputGrid: null | {rows, cols} draws layer 0 as a grid of
//   squares (r is then half the square's side); labelTop: room for layer labels above;
//   labelRight: pixels reserved right of the output layer for its neuron labels.

const MARGIN = 10;
const LABEL_HEIGHT = 24;
const TARGET_HEIGHT = 480;   // the tallest column aims for this height ...
const MIN_PITCH = 10;        // ... unless its neurons would sit closer than this
const MAX_PITCH = 88;
const MAX_RADIUS = 26;
const MAX_GAP = 260;        // between columns: wider looks stretched, so the drawing centres
const GRID_GAP = 2;

export function layoutNetwork(layers, {width, inputGrid = null, labelTop = true, labelRight = 0}) {
  const circleLayers = inputGrid ? layers.slice(1) : layers;
  const tallest = Math.max(...circleLayers);
  const pitch = clamp(TARGET_HEIGHT / tallest, MIN_PITCH, MAX_PITCH);
  const columnHeight = pitch * tallest;
  const top = MARGIN + (labelTop ? LABEL_HEIGHT : 0);
  const centreY = top + columnHeight / 2;

  const grid = inputGrid && gridGeometry(inputGrid, width, columnHeight);
  const firstX = MARGIN + (grid ? grid.width / 2 : MAX_RADIUS);
  const gaps = Math.max(1, layers.length - 1);
  const gap = Math.min(MAX_GAP, (width - MARGIN - labelRight - MAX_RADIUS - firstX) / gaps);
  const drawnWidth = firstX + gap * gaps + MAX_RADIUS + labelRight + MARGIN;
  const maxRadius = Math.min(MAX_RADIUS, gap * 0.22);
  const columns = layers.map((_, l) => firstX + l * gap);

  const neurons = layers.map((count, l) => {
    if (l === 0 && grid) return gridCells(count, inputGrid, grid, columns[0], centreY);
    const layerPitch = Math.min(MAX_PITCH, columnHeight / count);
    const r = Math.min(maxRadius, layerPitch * 0.4);
    return Array.from({length: count}, (_, j) => ({
      x: columns[l],
      y: centreY + (j - (count - 1) / 2) * layerPitch,
      r,
      square: false,
    }));
  });

  const gridHeight = grid ? grid.height : 0;
  const height = top + Math.max(columnHeight, gridHeight) + MARGIN;
  return {width: drawnWidth, height, columns, neurons};
}

// Square side: as big as fits in 30% of the width and half the column height.
function gridGeometry({rows, cols}, width, columnHeight) {
  const side = clamp(Math.min((width * 0.3) / cols, (columnHeight * 0.5) / rows) - GRID_GAP, 6, 34);
  return {
    side,
    width: cols * side + (cols - 1) * GRID_GAP,
    height: rows * side + (rows - 1) * GRID_GAP,
  };
}

function gridCells(count, {cols}, grid, centreX, centreY) {
  const rows = Math.ceil(count / cols);
  const step = grid.side + GRID_GAP;
  const left = centreX - grid.width / 2 + grid.side / 2;
  const top = centreY - (rows * step - GRID_GAP) / 2 + grid.side / 2;
  return Array.from({length: count}, (_, j) => ({
    x: left + (j % cols) * step,
    y: top + Math.floor(j / cols) * step,
    r: grid.side / 2,
    square: true,
  }));
}

function clamp(value, low, high) {
  return Math.min(high, Math.max(low, value));
}
