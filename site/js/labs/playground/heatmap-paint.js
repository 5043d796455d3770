// Paints the simulator's heatmaps (PlaygroundSession.heatmaps: per neuron a size x size grid of
// float32 values, row 0 at the top, and for classification the class of every cell) into
// canvases, one pixel per cell. Colour only: every value was computed in Python.
//
//   decodeHeatmaps(heatmaps) -> {size, layers: [[Float32Array]], classes: Uint8Array | null, decision}
//   paintOutput(canvas, decoded, {task, discretise})
//   paintNeuron(canvas, values, size)
//
// Colours: the page's --pg-class-<k> for the classes (class 0 also the negative end of a value
// scale, class 1 the positive end), fading to white where the network is unsure or near 0.
// Colour is not the only cue: each class but 1 has a hatch of its own (class 0, so negative
// values, diagonal lines), drawn where the colour is visible at all.

function bytesOf(base64) {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let k = 0; k < text.length; k += 1) bytes[k] = text.charCodeAt(k);
  return bytes;
}

export function decodeHeatmaps({size, layers, classes, decision}) {
  return {
    size,
    decision,
    // Little-endian float32, as every browser's typed arrays on the platforms we run on.
    layers: layers.map(layer => layer.map(map => new Float32Array(bytesOf(map).buffer))),
    classes: classes ? bytesOf(classes) : null,
  };
}

let palette = null;
function classColours() {
  if (palette) return palette;
  const style = getComputedStyle(document.documentElement);
  palette = [0, 1, 2, 3].map(k => {
    const hex = style.getPropertyValue(`--pg-class-${k}`).trim() || '#888888';
    return [1, 3, 5].map(at => parseInt(hex.slice(at, at + 2), 16));
  });
  return palette;
}

// strength 0 -> white, 1 -> the colour (kept a little light so points stay readable on it).
// A hatch line is the colour itself.
function mix(pixels, at, colour, strength, hatched) {
  const s = hatched ? 1 : Math.max(0, Math.min(1, strength)) * 0.8;
  pixels[at] = 255 + (colour[0] - 255) * s;
  pixels[at + 1] = 255 + (colour[1] - 255) * s;
  pixels[at + 2] = 255 + (colour[2] - 255) * s;
  pixels[at + 3] = 255;
}

// Whether a cell at (row, column) lies on class k's hatch: one pixel line in every HATCH.
const HATCH = 4;
const HATCHES = [
  (row, column) => (row + column) % HATCH === 0,            // class 0, negative: diagonal
  () => false,                                              // class 1, positive: plain
  (row, column) => (row - column + HATCH * column) % HATCH === 0,   // class 2: the other diagonal
  row => row % HATCH === 0,                                 // class 3: horizontal
];
const HATCH_FROM = 0.08;   // below this strength the cell is near white: no hatch

function paint(canvas, size, colourOf) {
  canvas.width = size;
  canvas.height = size;
  const context = canvas.getContext('2d');
  const image = context.createImageData(size, size);
  const colours = classColours();
  for (let cell = 0; cell < size * size; cell += 1) {
    const [k, strength] = colourOf(cell);
    const hatched = strength > HATCH_FROM && HATCHES[k](Math.floor(cell / size), cell % size);
    mix(image.data, cell * 4, colours[k], strength, hatched);
  }
  context.putImageData(image, 0, 0);
}

// A value on a -1..1 scale: class 0's colour below 0, class 1's above.
const signed = value => (value < 0 ? [0, -value] : [1, value]);

export function paintOutput(canvas, decoded, {task, discretise}) {
  const outputs = decoded.layers[decoded.layers.length - 1];
  const {classes} = decoded;
  if (task.kind !== 'classification') {
    const values = outputs[0];
    paint(canvas, decoded.size, cell => {
      const [k, strength] = signed(values[cell]);
      return [k, discretise ? 1 : strength];
    });
    return;
  }
  if (outputs.length === 1) {
    // One output: how far it is from the decision value (towards 1 at most) says how sure.
    const values = outputs[0];
    const {decision} = decoded;
    paint(canvas, decoded.size, cell => [classes[cell],
      discretise ? 1 : Math.abs(values[cell] - decision) / (1 - decision)]);
    return;
  }
  // Softmax: the chosen class's probability, from 1/K (a guess) to 1 (certain).
  const guess = 1 / outputs.length;
  paint(canvas, decoded.size, cell => {
    const k = classes[cell];
    return [k, discretise ? 1 : (outputs[k][cell] - guess) / (1 - guess)];
  });
}

export function paintNeuron(canvas, values, size) {
  paint(canvas, size, cell => signed(values[cell]));
}
