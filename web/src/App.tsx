import { lazy, Suspense } from 'react';
import { BrowserRouter, Navigate, Outlet, Route, Routes, useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { mayHandleConsultations, mayHandlePrivacyRequests, mayKeepIncidents, mayReadFileRegister, mayReviewAudit, mayViewRules, mayWorkWithCases, mayApplyForHomeVisits } from './access.ts';
import { Layout } from './components/Layout.tsx';
import { RequireRole } from './components/RequireRole.tsx';
import { ErrorPanel, Loading } from './components/Status.tsx';
import { AccountPage } from './pages/AccountPage.tsx';
import { AuditReviewPage } from './pages/AuditReviewPage.tsx';
import { CaseListPage } from './pages/CaseListPage.tsx';
import { CasePage } from './pages/CasePage.tsx';
import { ConsultationListPage } from './pages/ConsultationListPage.tsx';
import { ConsultationPage } from './pages/ConsultationPage.tsx';
import { IncidentListPage } from './pages/IncidentListPage.tsx';
import { IncidentPage } from './pages/IncidentPage.tsx';
import { DisclosurePackagePage } from './pages/DisclosurePackagePage.tsx';
import { FileRegisterPage } from './pages/FileRegisterPage.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { NetworkPage } from './pages/NetworkPage.tsx';
import { NewCasePage } from './pages/NewCasePage.tsx';
import { NewConsultationPage } from './pages/NewConsultationPage.tsx';
import { NewIncidentPage } from './pages/NewIncidentPage.tsx';
import { NewPrivacyRequestPage } from './pages/NewPrivacyRequestPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { OrganizationPage } from './pages/OrganizationPage.tsx';
import { PlacementMatchPage } from './pages/PlacementMatchPage.tsx';
import { PlacementsPage } from './pages/PlacementsPage.tsx';
import { PrivacyRequestPage } from './pages/PrivacyRequestPage.tsx';
import { PrivacyRequestsPage } from './pages/PrivacyRequestsPage.tsx';
import { PublicConcernPage } from './pages/PublicConcernPage.tsx';
import { PublicNavigatorPage } from './pages/PublicNavigatorPage.tsx';
import { PublicWindowsPage } from './pages/PublicWindowsPage.tsx';
import { PublicEventsPage } from './pages/PublicEventsPage.tsx';
import { EventsPage } from './pages/EventsPage.tsx';
import { ReferralsPage } from './pages/ReferralsPage.tsx';
import { OutreachPage } from './pages/OutreachPage.tsx';
import { RoutingRulesPage } from './pages/RoutingRulesPage.tsx';
import { UsersPage } from './pages/UsersPage.tsx';
import { mayViewUsers } from './access.ts';
import { mayBreakGlass, mayReadBreakGlassUses } from './access.ts';
import { mayDrillIntoFigures, mayViewFigures } from './access.ts';
import { AlertsPage } from './pages/AlertsPage.tsx';
import { BreakGlassReviewPage } from './pages/BreakGlassReviewPage.tsx';
import { EmergencyAccessPage } from './pages/EmergencyAccessPage.tsx';
import { PublicNotFound } from './public/PublicLayout.tsx';
import { PublicHomePage } from './pages/PublicHomePage.tsx';
import { mayFollowActionItems, mayReadAgreedRules, mayUseMeetings, mayViewMeetingSchedule } from './access.ts';
import { ActionItemsPage } from './pages/ActionItemsPage.tsx';
import { AgreedRulesPage } from './pages/AgreedRulesPage.tsx';
import { MeetingPrintPage } from './pages/MeetingPrintPage.tsx';
import { MeetingSessionPage } from './pages/MeetingSessionPage.tsx';
import { MeetingsPage } from './pages/MeetingsPage.tsx';
import { isPrefectureStaff, mayBookConsultationDays, mayReadVisits, mayRegisterForSupporterMeetings } from './access.ts';
import { mayWorkWithExpertTeam } from './access.ts';
import { SessionProvider, useSession, useSignedInSession } from './session.tsx';

// The map page brings the graph library: loaded only when a user opens it, so the rest of the app stays light.
const NetworkMapPage = lazy(() => import('./pages/NetworkMapPage.tsx').then((m) => ({ default: m.NetworkMapPage })));
// The figures bring the chart library (echarts): loaded only on those pages.
const StatsPage = lazy(() => import('./pages/StatsPage.tsx').then((m) => ({ default: m.StatsPage })));
// The prefecture's pages are for a few users (the centre, the hubs): loaded only when opened.
const PrefectureVisitsPage = lazy(() => import('./pages/PrefectureVisitsPage.tsx').then((m) => ({ default: m.PrefectureVisitsPage })));
const PrefectureVisitPage = lazy(() => import('./pages/PrefectureVisitPage.tsx').then((m) => ({ default: m.PrefectureVisitPage })));
const PrefecturePartnerGroupsPage = lazy(() => import('./pages/PrefecturePartnerGroupsPage.tsx').then((m) => ({ default: m.PrefecturePartnerGroupsPage })));
const PrefectureNetworksPage = lazy(() => import('./pages/PrefectureNetworksPage.tsx').then((m) => ({ default: m.PrefectureNetworksPage })));
const ConsultationDaysCentrePage = lazy(() => import('./pages/ConsultationDaysCentrePage.tsx').then((m) => ({ default: m.ConsultationDaysCentrePage })));
const ConsultationDaysWindowPage = lazy(() => import('./pages/ConsultationDaysWindowPage.tsx').then((m) => ({ default: m.ConsultationDaysWindowPage })));
const SupporterMeetingsCentrePage = lazy(() => import('./pages/SupporterMeetingsCentrePage.tsx').then((m) => ({ default: m.SupporterMeetingsCentrePage })));
const SupporterMeetingsPage = lazy(() => import('./pages/SupporterMeetingsPage.tsx').then((m) => ({ default: m.SupporterMeetingsPage })));
const PrefectureProposalsPage = lazy(() => import('./pages/PrefectureProposalsPage.tsx').then((m) => ({ default: m.PrefectureProposalsPage })));
const ExpertConferencesPage = lazy(() => import('./pages/ExpertConferencesPage.tsx').then((m) => ({ default: m.ExpertConferencesPage })));
const ExpertSubmissionsPage = lazy(() => import('./pages/ExpertSubmissionsPage.tsx').then((m) => ({ default: m.ExpertSubmissionsPage })));
const ExpertSubmitPage = lazy(() => import('./pages/ExpertSubmitPage.tsx').then((m) => ({ default: m.ExpertSubmitPage })));
const HomeVisitApplicationsPage = lazy(() => import('./pages/HomeVisitApplicationsPage.tsx').then((m) => ({ default: m.HomeVisitApplicationsPage })));
const PrefectureHomeVisitsPage = lazy(() => import('./pages/PrefectureHomeVisitsPage.tsx').then((m) => ({ default: m.PrefectureHomeVisitsPage })));
const PrefectureHomeVisitPage = lazy(() => import('./pages/PrefectureHomeVisitsPage.tsx').then((m) => ({ default: m.PrefectureHomeVisitPage })));
const StatsRecordsPage = lazy(() => import('./pages/StatsRecordsPage.tsx').then((m) => ({ default: m.StatsRecordsPage })));

export function App() {
  return (
    <BrowserRouter>
      <Routes>
        {/* Residents' pages: outside the session, so no sign-in check, no redirect on 401. */}
        <Route path="public">
          <Route index element={<PublicHomePage />} />
          <Route path=":municipality" element={<PublicHomePage />} />
          <Route path="concern" element={<PublicConcernPage />} />
          <Route path="navigator" element={<PublicNavigatorPage />} />
          <Route path="windows" element={<PublicWindowsPage />} />
          <Route path="events" element={<PublicEventsPage />} />
          <Route path=":municipality/events" element={<PublicEventsPage />} />
          <Route path=":municipality/concern" element={<PublicConcernPage />} />
          <Route path=":municipality/navigator" element={<PublicNavigatorPage />} />
          <Route path=":municipality/windows" element={<PublicWindowsPage />} />
          <Route path="*" element={<PublicNotFound />} />
        </Route>
        <Route element={<SessionProvider><Outlet /></SessionProvider>}>
          <Route path="/login" element={<LoginPage />} />
          <Route element={<RequireSession />}>
            <Route index element={<HomePage />} />
            <Route path="organizations/:id" element={<OrganizationPage />} />
            <Route path="network/map" element={<Suspense fallback={<Loading />}><NetworkMapPage /></Suspense>} />
            <Route path="consultations" element={<RequireRole allowed={mayHandleConsultations}><ConsultationListPage /></RequireRole>} />
            <Route path="consultations/new" element={<RequireRole allowed={mayHandleConsultations}><NewConsultationPage /></RequireRole>} />
            <Route path="consultations/:id" element={<RequireRole allowed={mayHandleConsultations}><ConsultationPage /></RequireRole>} />
            <Route path="cases" element={<RequireRole allowed={mayWorkWithCases}><CaseListPage /></RequireRole>} />
            <Route path="cases/new" element={<RequireRole allowed={mayWorkWithCases}><NewCasePage /></RequireRole>} />
            <Route path="cases/:id" element={<RequireRole allowed={mayWorkWithCases}><CasePage /></RequireRole>} />
            <Route path="placements" element={<RequireRole allowed={mayWorkWithCases}><PlacementsPage /></RequireRole>} />
            <Route path="cases/:id/placements" element={<RequireRole allowed={mayWorkWithCases}><PlacementMatchPage /></RequireRole>} />
            <Route path="referrals" element={<RequireRole allowed={mayWorkWithCases}><ReferralsPage /></RequireRole>} />
            <Route path="meetings" element={<RequireRole allowed={mayViewMeetingSchedule}><MeetingsPage /></RequireRole>} />
            <Route path="meetings/sessions/:id" element={<RequireRole allowed={mayUseMeetings}><MeetingSessionPage /></RequireRole>} />
            <Route path="meetings/sessions/:id/print" element={<RequireRole allowed={mayUseMeetings}><MeetingPrintPage /></RequireRole>} />
            <Route path="action-items" element={<RequireRole allowed={mayFollowActionItems}><ActionItemsPage /></RequireRole>} />
            <Route path="rules" element={<RequireRole allowed={mayReadAgreedRules}><AgreedRulesPage /></RequireRole>} />
            <Route path="events" element={<RequireRole allowed={mayWorkWithCases}><EventsPage /></RequireRole>} />
            <Route path="outreach" element={<RequireRole allowed={mayWorkWithCases}><OutreachPage /></RequireRole>} />
            <Route path="routing/rules" element={<RequireRole allowed={mayViewRules}><RoutingRulesPage /></RequireRole>} />
            <Route path="audit" element={<RequireRole allowed={mayReviewAudit}><AuditReviewPage /></RequireRole>} />
            <Route path="incidents" element={<RequireRole allowed={mayReviewAudit}><IncidentListPage /></RequireRole>} />
            <Route path="incidents/new" element={<RequireRole allowed={mayKeepIncidents}><NewIncidentPage /></RequireRole>} />
            <Route path="incidents/:id" element={<RequireRole allowed={mayReviewAudit}><IncidentPage /></RequireRole>} />
            <Route path="privacy/requests" element={<RequireRole allowed={mayHandlePrivacyRequests}><PrivacyRequestsPage /></RequireRole>} />
            <Route path="privacy/requests/new" element={<RequireRole allowed={mayHandlePrivacyRequests}><NewPrivacyRequestPage /></RequireRole>} />
            <Route path="privacy/requests/:id" element={<RequireRole allowed={mayHandlePrivacyRequests}><PrivacyRequestPage /></RequireRole>} />
            <Route path="privacy/requests/:id/package" element={<RequireRole allowed={mayHandlePrivacyRequests}><DisclosurePackagePage /></RequireRole>} />
            <Route path="privacy/file-register" element={<RequireRole allowed={mayReadFileRegister}><FileRegisterPage /></RequireRole>} />
            <Route path="users" element={<RequireRole allowed={mayViewUsers}><UsersPage /></RequireRole>} />
            <Route path="emergency-access" element={<RequireRole allowed={mayBreakGlass}><EmergencyAccessPage /></RequireRole>} />
            <Route path="break-glass" element={<RequireRole allowed={mayReadBreakGlassUses}><BreakGlassReviewPage /></RequireRole>} />
            <Route path="stats" element={<RequireRole allowed={mayViewFigures}><Suspense fallback={<Loading />}><StatsPage /></Suspense></RequireRole>} />
            <Route path="stats/records" element={<RequireRole allowed={mayDrillIntoFigures}><Suspense fallback={<Loading />}><StatsRecordsPage /></Suspense></RequireRole>} />
            <Route path="prefecture/visits" element={<RequireRole allowed={mayReadVisits}><Suspense fallback={<Loading />}><PrefectureVisitsPage /></Suspense></RequireRole>} />
            <Route path="prefecture/visits/:id" element={<RequireRole allowed={mayReadVisits}><Suspense fallback={<Loading />}><PrefectureVisitPage /></Suspense></RequireRole>} />
            <Route path="prefecture/partner-groups" element={<RequireRole allowed={isPrefectureStaff}><Suspense fallback={<Loading />}><PrefecturePartnerGroupsPage /></Suspense></RequireRole>} />
            <Route path="prefecture/networks" element={<RequireRole allowed={isPrefectureStaff}><Suspense fallback={<Loading />}><PrefectureNetworksPage /></Suspense></RequireRole>} />
            <Route path="prefecture/consultation-days" element={<RequireRole allowed={isPrefectureStaff}><Suspense fallback={<Loading />}><ConsultationDaysCentrePage /></Suspense></RequireRole>} />
            <Route path="consultation-days" element={<RequireRole allowed={mayBookConsultationDays}><Suspense fallback={<Loading />}><ConsultationDaysWindowPage /></Suspense></RequireRole>} />
            <Route path="prefecture/supporter-meetings" element={<RequireRole allowed={isPrefectureStaff}><Suspense fallback={<Loading />}><SupporterMeetingsCentrePage /></Suspense></RequireRole>} />
            <Route path="supporter-meetings" element={<RequireRole allowed={mayRegisterForSupporterMeetings}><Suspense fallback={<Loading />}><SupporterMeetingsPage /></Suspense></RequireRole>} />
            <Route path="prefecture/expert-conferences" element={<RequireRole allowed={mayWorkWithExpertTeam}><Suspense fallback={<Loading />}><ExpertConferencesPage /></Suspense></RequireRole>} />
            <Route path="prefecture/expert-submissions" element={<RequireRole allowed={mayWorkWithExpertTeam}><Suspense fallback={<Loading />}><ExpertSubmissionsPage /></Suspense></RequireRole>} />
            <Route path="cases/:id/expert-team" element={<RequireRole allowed={mayWorkWithCases}><Suspense fallback={<Loading />}><ExpertSubmitPage /></Suspense></RequireRole>} />
            <Route path="prefecture/proposals" element={<RequireRole allowed={mayReadVisits}><Suspense fallback={<Loading />}><PrefectureProposalsPage /></Suspense></RequireRole>} />
            <Route path="prefecture/home-visits" element={<RequireRole allowed={isPrefectureStaff}><Suspense fallback={<Loading />}><PrefectureHomeVisitsPage /></Suspense></RequireRole>} />
            <Route path="prefecture/home-visits/:id" element={<RequireRole allowed={isPrefectureStaff}><Suspense fallback={<Loading />}><PrefectureHomeVisitPage /></Suspense></RequireRole>} />
            <Route path="home-visit-applications" element={<RequireRole allowed={mayApplyForHomeVisits}><Suspense fallback={<Loading />}><HomeVisitApplicationsPage /></Suspense></RequireRole>} />
            <Route path="alerts" element={<AlertsPage />} />
            <Route path="account" element={<AccountPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Route>
      </Routes>
    </BrowserRouter>
  );
}

/** The first page after sign-in: a municipality's network; for the prefecture's centre, the networks it works with side by side. */
function HomePage() {
  const { role } = useSignedInSession();
  if (isPrefectureStaff(role)) return <Navigate to="/prefecture/networks" replace />;
  return <NetworkPage />;
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
