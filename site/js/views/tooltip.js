// One floating tooltip inside a positioned host element (CSS: .tooltip in base.css).
//
//   const tip = createTooltip(host)       host gets position: relative via class "tooltip-host"
//   tip.show(lines, {x, y, clearance})    lines: array of strings or Nodes (one row each);
//                                         x, y: host pixel coordinates of the thing described;
//                                         clearance: its radius, kept free above or below
//   tip.hide()
//   tip.element                           the div (role="tooltip")
//
// Content is built with text nodes only: nothing passed in is ever parsed as HTML.

const GAP = 10;

export function createTooltip(host) {
  host.classList.add('tooltip-host');
  const element = document.createElement('div');
  element.className = 'tooltip';
  element.setAttribute('role', 'tooltip');
  element.hidden = true;
  host.appendChild(element);

  function show(lines, point) {
    element.replaceChildren(...lines.map(toRow));
    element.hidden = false;
    place(point);
  }

  // Above the thing, centred; below it when there is no room above; never past the host's sides.
  function place({x, y, clearance = 0}) {
    const width = element.offsetWidth;
    const height = element.offsetHeight;
    const maxLeft = Math.max(0, host.clientWidth - width);
    const left = Math.min(maxLeft, Math.max(0, x - width / 2));
    const above = y - clearance - GAP - height;
    const top = above >= 0 ? above : y + clearance + GAP;
    element.style.left = `${left}px`;
    element.style.top = `${top}px`;
  }

  function hide() {
    element.hidden = true;
  }

  return {show, hide, element};
}

function toRow(line) {
  const row = document.createElement('div');
  row.append(line);
  return row;
}
