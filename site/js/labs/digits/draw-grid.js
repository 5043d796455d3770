// A paintable pixel grid for the Draw tab.
//
// Each pixel is a toggle button (aria-pressed = black), so screen readers announce it and the
// browser gives it a focus ring. One pixel is in the tab order at a time (roving tabindex):
// arrows move between pixels, Space or Enter toggles the focused one.
//
// With a mouse, pen or finger (pointer events), pressing on a pixel toggles it and dragging
// paints every pixel passed over with that same colour, so a stroke either draws or erases.
// Pointer presses also fire `click`; clicks with `detail > 0` come from a pointer and were
// already handled, so only keyboard or assistive-technology clicks (`detail === 0`) toggle.

export function createDrawGrid(container, {rows, cols, onChange}) {
  const pixels = new Array(rows * cols).fill(0);
  let focusIndex = 0;
  let strokeValue = null; // 0 or 1 while a pointer stroke is in progress

  const grid = document.createElement('div');
  grid.className = 'draw-grid';
  grid.setAttribute('role', 'group');
  grid.setAttribute('aria-label', `Drawing grid, ${rows} by ${cols} pixels`);
  grid.style.setProperty('--cols', cols);

  const buttons = pixels.map((_, index) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'draw-pixel';
    button.dataset.index = index;
    button.tabIndex = index === focusIndex ? 0 : -1;
    button.setAttribute('aria-label', `Row ${Math.floor(index / cols) + 1}, column ${(index % cols) + 1}`);
    button.setAttribute('aria-pressed', 'false');
    grid.append(button);
    return button;
  });
  container.append(grid);

  function setPixel(index, value) {
    if (pixels[index] === value) return false;
    pixels[index] = value;
    buttons[index].setAttribute('aria-pressed', value ? 'true' : 'false');
    return true;
  }

  function changed() {
    onChange(pixels.slice());
  }

  function moveFocus(index) {
    buttons[focusIndex].tabIndex = -1;
    focusIndex = index;
    buttons[focusIndex].tabIndex = 0;
    buttons[focusIndex].focus();
  }

  function pixelAt(clientX, clientY) {
    const element = document.elementFromPoint(clientX, clientY);
    return element && element.classList.contains('draw-pixel') && grid.contains(element)
      ? Number(element.dataset.index) : null;
  }

  grid.addEventListener('pointerdown', event => {
    const index = pixelAt(event.clientX, event.clientY);
    if (index === null || event.button !== 0) return;
    event.preventDefault(); // no text selection or focus scroll while painting
    grid.setPointerCapture(event.pointerId);
    strokeValue = pixels[index] ? 0 : 1;
    moveFocus(index);
    if (setPixel(index, strokeValue)) changed();
  });

  grid.addEventListener('pointermove', event => {
    if (strokeValue === null) return;
    const index = pixelAt(event.clientX, event.clientY);
    if (index !== null && setPixel(index, strokeValue)) changed();
  });

  const endStroke = () => { strokeValue = null; };
  grid.addEventListener('pointerup', endStroke);
  grid.addEventListener('pointercancel', endStroke);
  grid.addEventListener('lostpointercapture', endStroke);

  grid.addEventListener('click', event => {
    const button = event.target.closest('.draw-pixel');
    if (!button || event.detail !== 0) return;
    const index = Number(button.dataset.index);
    setPixel(index, pixels[index] ? 0 : 1);
    changed();
  });

  const arrowSteps = {ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0]};
  grid.addEventListener('keydown', event => {
    const step = arrowSteps[event.key];
    if (!step) return;
    event.preventDefault();
    const row = Math.min(rows - 1, Math.max(0, Math.floor(focusIndex / cols) + step[0]));
    const col = Math.min(cols - 1, Math.max(0, (focusIndex % cols) + step[1]));
    moveFocus(row * cols + col);
  });

  return {
    clear() {
      pixels.forEach((_, index) => setPixel(index, 0));
      changed();
    },
    set(values) {
      values.forEach((value, index) => setPixel(index, value ? 1 : 0));
      changed();
    },
    get pixels() { return pixels.slice(); },
  };
}
