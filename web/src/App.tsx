import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { Layout } from './components/Layout.tsx';
import { ErrorPanel, Loading } from './components/Status.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { NetworkPage } from './pages/NetworkPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { OrganizationPage } from './pages/OrganizationPage.tsx';
import { SessionProvider, useSession } from './session.tsx';

export function App() {
  return (
    <BrowserRouter>
      <SessionProvider>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route element={<RequireSession />}>
            <Route index element={<NetworkPage />} />
            <Route path="organizations/:id" element={<OrganizationPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </SessionProvider>
    </BrowserRouter>
  );
}

/**
 * Signed-in pages. Without a session, go to sign-in and come back here
 * afterwards, unless the user chose to sign out.
 */
function RequireSession() {
  const { t } = useTranslation();
  const { state, recheck } = useSession();
  const location = useLocation();
  if (state.status === 'loading') return <main id="main"><Loading /></main>;
  if (state.status === 'unavailable') {
    return (
      <main id="main">
        <h1>{t('app.name')}</h1>
        <p>{t('errors.sessionCheck')}</p>
        <ErrorPanel error={state.error} onRetry={recheck} />
      </main>
    );
  }
  if (state.status === 'signedOut') {
    const here = location.pathname + location.search + location.hash;
    const keepPlace = state.reason !== 'signedOut' && here !== '/';
    return <Navigate to={keepPlace ? `/login?next=${encodeURIComponent(here)}` : '/login'} replace />;
  }
  return <Layout />;
}
