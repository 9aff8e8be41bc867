import { Component, lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router-dom';
import { ErrorPanel, Loading } from './Status.tsx';

/**
 * A page whose code is fetched on its first visit, in a chunk of its own, so
 * the first load carries only what every page needs. Each page has its own
 * loading boundary: a newly shown page says it is loading at once, where one
 * boundary around every page would keep the previous page on screen until the
 * next one had loaded. A page that fails (its chunk could not be fetched, or
 * it threw while drawing) says so and offers to reload, instead of taking the
 * whole app down to a blank screen.
 */
export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  const Loaded = lazy(() => load().then((page) => ({ default: page })));
  return function LazyPage(props: P) {
    const { pathname } = useLocation();
    return (
      <PageBoundary pathname={pathname}>
        <Suspense fallback={<Loading />}>
          <Loaded {...props} />
        </Suspense>
      </PageBoundary>
    );
  };
}

interface BoundaryState { error: unknown; pathname: string }

/** Catches a page's failure; going to another address clears it. */
class PageBoundary extends Component<{ pathname: string; children: ReactNode }, BoundaryState> {
  state: BoundaryState = { error: null, pathname: this.props.pathname };

  static getDerivedStateFromError(error: unknown): Partial<BoundaryState> {
    return { error };
  }

  static getDerivedStateFromProps(props: { pathname: string }, state: BoundaryState): Partial<BoundaryState> | null {
    return props.pathname === state.pathname ? null : { error: null, pathname: props.pathname };
  }

  render() {
    return this.state.error ? <PageFailed error={this.state.error} /> : this.props.children;
  }
}

/**
 * Reloading is the retry: after a new release the old chunk names are gone,
 * and browsers remember a failed module fetch, so only a fresh page can load it.
 */
function PageFailed({ error }: { error: unknown }) {
  const { t } = useTranslation();
  return <ErrorPanel error={error} onRetry={() => window.location.reload()} retryLabel={t('errors.reloadPage')} />;
}
