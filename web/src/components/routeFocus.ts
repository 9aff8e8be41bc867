import { useEffect, useRef } from 'react';
import { useLocation } from 'react-router-dom';

// False until the first page of this document has been shown: that page keeps
// the browser's own focus and scroll; every later one is reached by navigating.
let firstPageShown = false;

/**
 * After client-side navigation, move focus to the new content (or the #target)
 * and scroll as a full page load would, so keyboard and screen-reader users
 * start reading the new page, not somewhere in the old one. The returned ref
 * marks what to focus: the main region, or the first field of a form page.
 */
export function useRouteFocus<T extends HTMLElement>() {
  const { pathname, hash } = useLocation();
  const focusRef = useRef<T>(null);
  useEffect(() => {
    const target = hash ? document.getElementById(decodeURIComponent(hash.slice(1))) : null;
    if (target) {
      target.scrollIntoView({ block: 'start' });
      target.focus({ preventScroll: true });
    } else if (firstPageShown) {
      window.scrollTo(0, 0);
      focusRef.current?.focus({ preventScroll: true });
    }
    firstPageShown = true;
  }, [pathname, hash]);
  return focusRef;
}
