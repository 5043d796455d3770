// When a lab embedded in a course page may start Python: once it is on screen or first used.
// Four labs in one page each starting Python at once got ready after 4-8 s on two cores; a lab
// the student has not scrolled to yet need not compete. Inside an iframe the observer's
// viewport is the course page's window, so "on screen" means what the student sees.
//
//   await whenSeenOrUsed(element)   resolves when any part of element is in view, at the first
//                                   pointer, key or focus in the page, or at the first message
//                                   from the course page (its commands: shell/embed-api.js)

const USES = ['pointerdown', 'keydown', 'focusin'];

export function whenSeenOrUsed(element) {
  return new Promise(resolve => {
    const observer = new IntersectionObserver(entries => {
      if (entries.some(entry => entry.isIntersecting)) done();
    });
    const fromCoursePage = event => { if (event.source === window.parent) done(); };
    function done() {
      observer.disconnect();
      for (const type of USES) window.removeEventListener(type, done, true);
      window.removeEventListener('message', fromCoursePage);
      resolve();
    }
    observer.observe(element);
    for (const type of USES) window.addEventListener(type, done, true);
    window.addEventListener('message', fromCoursePage);
  });
}
