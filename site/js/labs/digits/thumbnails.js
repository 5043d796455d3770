// The ten training images as clickable thumbnails.
//
// Each thumbnail is a toggle button (aria-pressed marks the one fed through the network) so it
// works from the keyboard. Under each image a caption says whether the network labels it
// correctly now (the simulator's `correct`), as a word and a tick or cross, not only a colour.

export function createThumbnails(container, {cols, onSelect}) {
  const list = document.createElement('div');
  list.className = 'digit-thumbnails';
  list.setAttribute('role', 'group');
  list.setAttribute('aria-label', 'Training images');
  container.append(list);

  let items = [];
  let selected = 0;

  function build(examples) {
    list.replaceChildren();
    items = examples.map((example, index) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'digit-thumbnail';
      const image = document.createElement('span');
      image.className = 'pixel-image';
      image.style.setProperty('--cols', cols);
      image.setAttribute('aria-hidden', 'true');
      for (const pixel of example.input) {
        const cell = document.createElement('span');
        cell.className = pixel ? 'pixel is-on' : 'pixel';
        image.append(cell);
      }
      // The accessible name is the visible caption after this hidden label, so it reads
      // "Training image 3: ✓ right" (a name that contains the visible text, as WCAG asks).
      const name = document.createElement('span');
      name.className = 'sr-only';
      name.textContent = `Training image ${index}:`;
      const caption = document.createElement('span');
      caption.className = 'digit-thumbnail-caption';
      button.append(name, image, caption);
      button.addEventListener('click', () => onSelect(index));
      list.append(button);
      return {button, caption};
    });
  }

  return {
    // examples: the simulator's state().examples, one per training image, in digit order.
    render(examples) {
      if (items.length !== examples.length) build(examples);
      examples.forEach((example, index) => {
        const {button, caption} = items[index];
        caption.textContent = example.correct ? '✓ right' : '✗ wrong';
        button.classList.toggle('is-correct', example.correct);
        button.setAttribute('aria-pressed', index === selected ? 'true' : 'false');
      });
    },
    select(index) {
      selected = index;
      items.forEach(({button}, i) => button.setAttribute('aria-pressed', i === selected ? 'true' : 'false'));
    },
  };
}
