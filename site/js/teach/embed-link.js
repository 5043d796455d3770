// The embed builder's output (README, "Embedding in a course page"): the link a teacher hands
// out and the <iframe> that shows it. Pure functions of the builder's choices.
//
//   embedLink(base, {lab, settings, hide, lock, saved})   -> absolute URL (saved: the
//                                                   student's work is kept, `saved=1`)
//   iframeSnippet(url, {title, width, height})     -> the HTML text to paste into a page

import {formatHash} from '../shell/url-state.js';

export function embedLink(base, {lab, settings = {}, hide = [], lock = [], saved = false}) {
  const params = new URLSearchParams({embed: '1'});
  if (saved) params.set('saved', '1');
  if (hide.length) params.set('hide', hide.join(','));
  if (lock.length) params.set('lock', lock.join(','));
  // Names are words (schema names), so the commas stay readable.
  const search = params.toString().replaceAll('%2C', ',');
  return new URL(`?${search}${formatHash(lab, settings)}`, base).href;
}

export function iframeSnippet(url, {title, width, height}) {
  return `<iframe src="${escapeAttribute(url)}"\n        title="${escapeAttribute(title)}" ` +
    `width="${escapeAttribute(String(width))}" height="${escapeAttribute(String(height))}"\n` +
    '        style="border: 0"></iframe>';
}

function escapeAttribute(text) {
  return text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
}
