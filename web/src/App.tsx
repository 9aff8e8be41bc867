import { lazy, Suspense, type ComponentType } from 'react';
import { BrowserRouter, Navigate, Outlet, Route, Routes, useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { mayHandleConsultations, mayHandlePrivacyRequests, mayKeepIncidents, mayReadFileRegister, mayReviewAudit, mayViewRules, mayWorkWithCases, mayApplyForHomeVisits } from './access.ts';
import { Layout } from './components/Layout.tsx';
import { RequireRole } from './components/RequireRole.tsx';
import { ErrorPanel, Loading } from './components/Status.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { mayViewUsers } from './access.ts';
import { mayBreakGlass, mayReadBreakGlassUses } from './access.ts';
import { mayDrillIntoFigures, mayViewFigures } from './access.ts';
import { PublicNotFound } from './public/PublicLayout.tsx';
import { mayFollowActionItems, mayReadAgreedRules, mayUseMeetings, mayViewMeetingSchedule } from './access.ts';
import { isPrefectureStaff, mayBookConsultationDays, mayReadVisits, mayRegisterForSupporterMeetings } from './access.ts';
import { mayWorkWithExpertTeam } from './access.ts';
import { SessionProvider, useSession, useSignedInSession } from './session.tsx';

/**
 * Every page is loaded when first opened: a resident downloads the resident
 * pages only, and staff the screens they use (the map brings the graph
 * library, the figures the chart library).
 */
const page = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) => lazy(() => load().then((m) => ({ default: m[name] })));

const AccountPage = page(() => import('./pages/AccountPage.tsx'), 'AccountPage');
const AuditReviewPage = page(() => import('./pages/AuditReviewPage.tsx'), 'AuditReviewPage');
const CaseListPage = page(() => import('./pages/CaseListPage.tsx'), 'CaseListPage');
const CasePage = page(() => import('./pages/CasePage.tsx'), 'CasePage');
const ConsultationListPage = page(() => import('./pages/ConsultationListPage.tsx'), 'ConsultationListPage');
const ConsultationPage = page(() => import('./pages/ConsultationPage.tsx'), 'ConsultationPage');
const IncidentListPage = page(() => import('./pages/IncidentListPage.tsx'), 'IncidentListPage');
const IncidentPage = page(() => import('./pages/IncidentPage.tsx'), 'IncidentPage');
const DisclosurePackagePage = page(() => import('./pages/DisclosurePackagePage.tsx'), 'DisclosurePackagePage');
const FileRegisterPage = page(() => import('./pages/FileRegisterPage.tsx'), 'FileRegisterPage');
const NetworkPage = page(() => import('./pages/NetworkPage.tsx'), 'NetworkPage');
const NewCasePage = page(() => import('./pages/NewCasePage.tsx'), 'NewCasePage');
const NewConsultationPage = page(() => import('./pages/NewConsultationPage.tsx'), 'NewConsultationPage');
const NewIncidentPage = page(() => import('./pages/NewIncidentPage.tsx'), 'NewIncidentPage');
const NewPrivacyRequestPage = page(() => import('./pages/NewPrivacyRequestPage.tsx'), 'NewPrivacyRequestPage');
const OrganizationPage = page(() => import('./pages/OrganizationPage.tsx'), 'OrganizationPage');
const PlacementMatchPage = page(() => import('./pages/PlacementMatchPage.tsx'), 'PlacementMatchPage');
const PlacementsPage = page(() => import('./pages/PlacementsPage.tsx'), 'PlacementsPage');
const PrivacyRequestPage = page(() => import('./pages/PrivacyRequestPage.tsx'), 'PrivacyRequestPage');
const PrivacyRequestsPage = page(() => import('./pages/PrivacyRequestsPage.tsx'), 'PrivacyRequestsPage');
const PublicConcernPage = page(() => import('./pages/PublicConcernPage.tsx'), 'PublicConcernPage');
const PublicNavigatorPage = page(() => import('./pages/PublicNavigatorPage.tsx'), 'PublicNavigatorPage');
const PublicWindowsPage = page(() => import('./pages/PublicWindowsPage.tsx'), 'PublicWindowsPage');
const PublicEventsPage = page(() => import('./pages/PublicEventsPage.tsx'), 'PublicEventsPage');
const EventsPage = page(() => import('./pages/EventsPage.tsx'), 'EventsPage');
const ReferralsPage = page(() => import('./pages/ReferralsPage.tsx'), 'ReferralsPage');
const OutreachPage = page(() => import('./pages/OutreachPage.tsx'), 'OutreachPage');
const RoutingRulesPage = page(() => import('./pages/RoutingRulesPage.tsx'), 'RoutingRulesPage');
const UsersPage = page(() => import('./pages/UsersPage.tsx'), 'UsersPage');
const AlertsPage = page(() => import('./pages/AlertsPage.tsx'), 'AlertsPage');
const BreakGlassReviewPage = page(() => import('./pages/BreakGlassReviewPage.tsx'), 'BreakGlassReviewPage');
const EmergencyAccessPage = page(() => import('./pages/EmergencyAccessPage.tsx'), 'EmergencyAccessPage');
const PublicHomePage = page(() => import('./pages/PublicHomePage.tsx'), 'PublicHomePage');
const ActionItemsPage = page(() => import('./pages/ActionItemsPage.tsx'), 'ActionItemsPage');
const AgreedRulesPage = page(() => import('./pages/AgreedRulesPage.tsx'), 'AgreedRulesPage');
const MeetingPrintPage = page(() => import('./pages/MeetingPrintPage.tsx'), 'MeetingPrintPage');
const MeetingSessionPage = page(() => import('./pages/MeetingSessionPage.tsx'), 'MeetingSessionPage');
const MeetingsPage = page(() => import('./pages/MeetingsPage.tsx'), 'MeetingsPage');
const NetworkMapPage = page(() => import('./pages/NetworkMapPage.tsx'), 'NetworkMapPage');
const StatsPage = page(() => import('./pages/StatsPage.tsx'), 'StatsPage');
const PrefectureVisitsPage = page(() => import('./pages/PrefectureVisitsPage.tsx'), 'PrefectureVisitsPage');
const PrefectureVisitPage = page(() => import('./pages/PrefectureVisitPage.tsx'), 'PrefectureVisitPage');
const PrefecturePartnerGroupsPage = page(() => import('./pages/PrefecturePartnerGroupsPage.tsx'), 'PrefecturePartnerGroupsPage');
const PrefectureNetworksPage = page(() => import('./pages/PrefectureNetworksPage.tsx'), 'PrefectureNetworksPage');
const ConsultationDaysCentrePage = page(() => import('./pages/ConsultationDaysCentrePage.tsx'), 'ConsultationDaysCentrePage');
const ConsultationDaysWindowPage = page(() => import('./pages/ConsultationDaysWindowPage.tsx'), 'ConsultationDaysWindowPage');
const SupporterMeetingsCentrePage = page(() => import('./pages/SupporterMeetingsCentrePage.tsx'), 'SupporterMeetingsCentrePage');
const SupporterMeetingsPage = page(() => import('./pages/SupporterMeetingsPage.tsx'), 'SupporterMeetingsPage');
const PrefectureProposalsPage = page(() => import('./pages/PrefectureProposalsPage.tsx'), 'PrefectureProposalsPage');
const ExpertConferencesPage = page(() => import('./pages/ExpertConferencesPage.tsx'), 'ExpertConferencesPage');
const ExpertSubmissionsPage = page(() => import('./pages/ExpertSubmissionsPage.tsx'), 'ExpertSubmissionsPage');
const ExpertSubmitPage = page(() => import('./pages/ExpertSubmitPage.tsx'), 'ExpertSubmitPage');
const HomeVisitApplicationsPage = page(() => import('./pages/HomeVisitApplicationsPage.tsx'), 'HomeVisitApplicationsPage');
const PrefectureHomeVisitsPage = page(() => import('./pages/PrefectureHomeVisitsPage.tsx'), 'PrefectureHomeVisitsPage');
const PrefectureHomeVisitPage = page(() => import('./pages/PrefectureHomeVisitsPage.tsx'), 'PrefectureHomeVisitPage');
const StatsRecordsPage = page(() => import('./pages/StatsRecordsPage.tsx'), 'StatsRecordsPage');

export function App() {
  return (
    <BrowserRouter>
      <Routes>
        {/* Residents' pages: outside the session, so no sign-in check, no redirect on 401. */}
        <Route path="public" element={<Suspense fallback={<Loading />}><Outlet /></Suspense>}>
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
            <Route path="network/map" element={<NetworkMapPage />} />
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
            <Route path="stats" element={<RequireRole allowed={mayViewFigures}><StatsPage /></RequireRole>} />
            <Route path="stats/records" element={<RequireRole allowed={mayDrillIntoFigures}><StatsRecordsPage /></RequireRole>} />
            <Route path="prefecture/visits" element={<RequireRole allowed={mayReadVisits}><PrefectureVisitsPage /></RequireRole>} />
            <Route path="prefecture/visits/:id" element={<RequireRole allowed={mayReadVisits}><PrefectureVisitPage /></RequireRole>} />
            <Route path="prefecture/partner-groups" element={<RequireRole allowed={isPrefectureStaff}><PrefecturePartnerGroupsPage /></RequireRole>} />
            <Route path="prefecture/networks" element={<RequireRole allowed={isPrefectureStaff}><PrefectureNetworksPage /></RequireRole>} />
            <Route path="prefecture/consultation-days" element={<RequireRole allowed={isPrefectureStaff}><ConsultationDaysCentrePage /></RequireRole>} />
            <Route path="consultation-days" element={<RequireRole allowed={mayBookConsultationDays}><ConsultationDaysWindowPage /></RequireRole>} />
            <Route path="prefecture/supporter-meetings" element={<RequireRole allowed={isPrefectureStaff}><SupporterMeetingsCentrePage /></RequireRole>} />
            <Route path="supporter-meetings" element={<RequireRole allowed={mayRegisterForSupporterMeetings}><SupporterMeetingsPage /></RequireRole>} />
            <Route path="prefecture/expert-conferences" element={<RequireRole allowed={mayWorkWithExpertTeam}><ExpertConferencesPage /></RequireRole>} />
            <Route path="prefecture/expert-submissions" element={<RequireRole allowed={mayWorkWithExpertTeam}><ExpertSubmissionsPage /></RequireRole>} />
            <Route path="cases/:id/expert-team" element={<RequireRole allowed={mayWorkWithCases}><ExpertSubmitPage /></RequireRole>} />
            <Route path="prefecture/proposals" element={<RequireRole allowed={mayReadVisits}><PrefectureProposalsPage /></RequireRole>} />
            <Route path="prefecture/home-visits" element={<RequireRole allowed={isPrefectureStaff}><PrefectureHomeVisitsPage /></RequireRole>} />
            <Route path="prefecture/home-visits/:id" element={<RequireRole allowed={isPrefectureStaff}><PrefectureHomeVisitPage /></RequireRole>} />
            <Route path="home-visit-applications" element={<RequireRole allowed={mayApplyForHomeVisits}><HomeVisitApplicationsPage /></RequireRole>} />
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
