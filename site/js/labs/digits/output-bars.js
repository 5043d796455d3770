// The ten output activations as horizontal bars with their values.
//
// The winning digit (the simulator's `prediction`) is marked three ways, so colour is never the
// only cue: a darker bar, bold text and the word "prediction" beside it.

export function createOutputBars(container, {labels}) {
  const list = document.createElement('ol');
  list.className = 'output-bars';
  list.setAttribute('aria-label', 'Output activations');

  const rows = labels.map(label => {
    const item = document.createElement('li');
    item.className = 'output-bar';
    const name = document.createElement('span');
    name.className = 'output-bar-label';
    name.textContent = label;
    const track = document.createElement('span');
    track.className = 'output-bar-track';
    const fill = document.createElement('span');
    fill.className = 'output-bar-fill';
    track.append(fill);
    const value = document.createElement('span');
    value.className = 'output-bar-value';
    const marker = document.createElement('span');
    marker.className = 'output-bar-marker';
    item.append(name, track, value, marker);
    list.append(item);
    return {item, fill, value, marker};
  });
  container.append(list);

  return {
    // outputs: the output layer's activations (each in 0..1); prediction: index of the winner;
    // texts: the activations as the simulator wrote them.
    render(outputs, prediction, texts) {
      rows.forEach((row, index) => {
        const isWinner = index === prediction;
        row.fill.style.width = `${outputs[index] * 100}%`;
        row.value.textContent = texts[index];
        row.item.classList.toggle('is-prediction', isWinner);
        row.marker.textContent = isWinner ? '◀ prediction' : '';
      });
    },
  };
}
