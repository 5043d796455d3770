// The network figure as files for slides: the view's <svg> as it is drawn (numbers included),
// serialised with its computed styles written on each element so it looks the same outside the
// page, and the same picture as a PNG through a canvas.
//
//   figureSvg(svg) -> string                 a standalone SVG document
//   figurePng(svgText, scale) -> Promise<Blob>
//   download(filename, blob)

const STYLED = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-dasharray',
                'stroke-linecap', 'opacity', 'font-family', 'font-size', 'font-weight', 'font-style',
                'text-anchor', 'dominant-baseline', 'paint-order', 'visibility', 'display'];

export function figureSvg(svg) {
  const copy = svg.cloneNode(true);
  const originals = [svg, ...svg.querySelectorAll('*')];
  const copies = [copy, ...copy.querySelectorAll('*')];
  originals.forEach((element, k) => {
    const style = getComputedStyle(element);
    copies[k].setAttribute('style', STYLED.map(name => `${name}:${style.getPropertyValue(name)}`).join(';'));
    copies[k].removeAttribute('class');
    copies[k].removeAttribute('tabindex');
  });
  const box = svg.viewBox.baseVal;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(box.width));
  copy.setAttribute('height', String(box.height));
  // The page's background behind the picture, so it reads the same in a dark slide deck.
  const background = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  Object.entries({x: box.x, y: box.y, width: box.width, height: box.height,
                  fill: getComputedStyle(document.body).backgroundColor})
    .forEach(([name, value]) => background.setAttribute(name, String(value)));
  copy.prepend(background);
  return new XMLSerializer().serializeToString(copy);
}

export function figurePng(svgText, scale = 2) {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = Math.ceil(image.width * scale);
      canvas.height = Math.ceil(image.height * scale);
      const context = canvas.getContext('2d');
      context.scale(scale, scale);
      context.drawImage(image, 0, 0);
      canvas.toBlob(blob => (blob ? resolve(blob) : reject(new Error('The PNG could not be made.'))), 'image/png');
    };
    image.onerror = () => reject(new Error('The figure could not be drawn as a PNG.'));
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgText)}`;
  });
}

export function download(filename, blob) {
  const link = Object.assign(document.createElement('a'), {href: URL.createObjectURL(blob), download: filename});
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}
