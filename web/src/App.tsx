import { BrowserRouter, Navigate, Outlet, Route, Routes, useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { isPrefectureStaff, mayApplyForHomeVisits, mayBookConsultationDays, mayBreakGlass, mayDrillIntoFigures, mayFollowActionItems, mayHandleConsultations, mayHandlePrivacyRequests, mayKeepIncidents, mayReadAgreedRules, mayReadBreakGlassUses, mayReadFileRegister, mayReadVisits, mayRegisterForSupporterMeetings, mayReviewAudit, mayUseMeetings, mayViewFigures, mayViewMeetingSchedule, mayViewRules, mayViewUsers, mayWorkWithCases, mayWorkWithExpertTeam } from './access.ts';
import { lazyPage } from './components/LazyPage.tsx';
import { Layout } from './components/Layout.tsx';
import { RequireRole } from './components/RequireRole.tsx';
import { ErrorPanel, Loading } from './components/Status.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { PublicNotFound } from './public/PublicLayout.tsx';
import { SessionProvider, useSession, useSignedInSession } from './session.tsx';

// Every page but sign-in is fetched on its first visit (components/LazyPage.tsx): the figures bring the chart library,
// the map the graph library, and the prefecture's pages are for a few users; the first load carries none of them.
const AccountPage = lazyPage(() => import('./pages/AccountPage.tsx').then((m) => m.AccountPage));
const ActionItemsPage = lazyPage(() => import('./pages/ActionItemsPage.tsx').then((m) => m.ActionItemsPage));
const AgreedRulesPage = lazyPage(() => import('./pages/AgreedRulesPage.tsx').then((m) => m.AgreedRulesPage));
const AlertsPage = lazyPage(() => import('./pages/AlertsPage.tsx').then((m) => m.AlertsPage));
const AuditReviewPage = lazyPage(() => import('./pages/AuditReviewPage.tsx').then((m) => m.AuditReviewPage));
const BreakGlassReviewPage = lazyPage(() => import('./pages/BreakGlassReviewPage.tsx').then((m) => m.BreakGlassReviewPage));
const CaseListPage = lazyPage(() => import('./pages/CaseListPage.tsx').then((m) => m.CaseListPage));
const CasePage = lazyPage(() => import('./pages/CasePage.tsx').then((m) => m.CasePage));
const ConsultationDaysCentrePage = lazyPage(() => import('./pages/ConsultationDaysCentrePage.tsx').then((m) => m.ConsultationDaysCentrePage));
const ConsultationDaysWindowPage = lazyPage(() => import('./pages/ConsultationDaysWindowPage.tsx').then((m) => m.ConsultationDaysWindowPage));
const ConsultationListPage = lazyPage(() => import('./pages/ConsultationListPage.tsx').then((m) => m.ConsultationListPage));
const ConsultationPage = lazyPage(() => import('./pages/ConsultationPage.tsx').then((m) => m.ConsultationPage));
const DisclosurePackagePage = lazyPage(() => import('./pages/DisclosurePackagePage.tsx').then((m) => m.DisclosurePackagePage));
const EmergencyAccessPage = lazyPage(() => import('./pages/EmergencyAccessPage.tsx').then((m) => m.EmergencyAccessPage));
const EventsPage = lazyPage(() => import('./pages/EventsPage.tsx').then((m) => m.EventsPage));
const ExpertConferencesPage = lazyPage(() => import('./pages/ExpertConferencesPage.tsx').then((m) => m.ExpertConferencesPage));
const ExpertSubmissionsPage = lazyPage(() => import('./pages/ExpertSubmissionsPage.tsx').then((m) => m.ExpertSubmissionsPage));
const ExpertSubmitPage = lazyPage(() => import('./pages/ExpertSubmitPage.tsx').then((m) => m.ExpertSubmitPage));
const FileRegisterPage = lazyPage(() => import('./pages/FileRegisterPage.tsx').then((m) => m.FileRegisterPage));
const HomeVisitApplicationsPage = lazyPage(() => import('./pages/HomeVisitApplicationsPage.tsx').then((m) => m.HomeVisitApplicationsPage));
const IncidentListPage = lazyPage(() => import('./pages/IncidentListPage.tsx').then((m) => m.IncidentListPage));
const IncidentPage = lazyPage(() => import('./pages/IncidentPage.tsx').then((m) => m.IncidentPage));
const MeetingPrintPage = lazyPage(() => import('./pages/MeetingPrintPage.tsx').then((m) => m.MeetingPrintPage));
const MeetingSessionPage = lazyPage(() => import('./pages/MeetingSessionPage.tsx').then((m) => m.MeetingSessionPage));
const MeetingsPage = lazyPage(() => import('./pages/MeetingsPage.tsx').then((m) => m.MeetingsPage));
const NetworkMapPage = lazyPage(() => import('./pages/NetworkMapPage.tsx').then((m) => m.NetworkMapPage));
const NetworkPage = lazyPage(() => import('./pages/NetworkPage.tsx').then((m) => m.NetworkPage));
const NewCasePage = lazyPage(() => import('./pages/NewCasePage.tsx').then((m) => m.NewCasePage));
const NewConsultationPage = lazyPage(() => import('./pages/NewConsultationPage.tsx').then((m) => m.NewConsultationPage));
const NewIncidentPage = lazyPage(() => import('./pages/NewIncidentPage.tsx').then((m) => m.NewIncidentPage));
const NewPrivacyRequestPage = lazyPage(() => import('./pages/NewPrivacyRequestPage.tsx').then((m) => m.NewPrivacyRequestPage));
const OrganizationPage = lazyPage(() => import('./pages/OrganizationPage.tsx').then((m) => m.OrganizationPage));
const OutreachPage = lazyPage(() => import('./pages/OutreachPage.tsx').then((m) => m.OutreachPage));
const PlacementMatchPage = lazyPage(() => import('./pages/PlacementMatchPage.tsx').then((m) => m.PlacementMatchPage));
const PlacementsPage = lazyPage(() => import('./pages/PlacementsPage.tsx').then((m) => m.PlacementsPage));
const PrefectureHomeVisitPage = lazyPage(() => import('./pages/PrefectureHomeVisitsPage.tsx').then((m) => m.PrefectureHomeVisitPage));
const PrefectureHomeVisitsPage = lazyPage(() => import('./pages/PrefectureHomeVisitsPage.tsx').then((m) => m.PrefectureHomeVisitsPage));
const PrefectureNetworksPage = lazyPage(() => import('./pages/PrefectureNetworksPage.tsx').then((m) => m.PrefectureNetworksPage));
const PrefecturePartnerGroupsPage = lazyPage(() => import('./pages/PrefecturePartnerGroupsPage.tsx').then((m) => m.PrefecturePartnerGroupsPage));
const PrefectureProposalsPage = lazyPage(() => import('./pages/PrefectureProposalsPage.tsx').then((m) => m.PrefectureProposalsPage));
const PrefectureVisitPage = lazyPage(() => import('./pages/PrefectureVisitPage.tsx').then((m) => m.PrefectureVisitPage));
const PrefectureVisitsPage = lazyPage(() => import('./pages/PrefectureVisitsPage.tsx').then((m) => m.PrefectureVisitsPage));
const PrivacyRequestPage = lazyPage(() => import('./pages/PrivacyRequestPage.tsx').then((m) => m.PrivacyRequestPage));
const PrivacyRequestsPage = lazyPage(() => import('./pages/PrivacyRequestsPage.tsx').then((m) => m.PrivacyRequestsPage));
const PublicConcernPage = lazyPage(() => import('./pages/PublicConcernPage.tsx').then((m) => m.PublicConcernPage));
const PublicEventsPage = lazyPage(() => import('./pages/PublicEventsPage.tsx').then((m) => m.PublicEventsPage));
const PublicHomePage = lazyPage(() => import('./pages/PublicHomePage.tsx').then((m) => m.PublicHomePage));
const PublicNavigatorPage = lazyPage(() => import('./pages/PublicNavigatorPage.tsx').then((m) => m.PublicNavigatorPage));
const PublicWindowsPage = lazyPage(() => import('./pages/PublicWindowsPage.tsx').then((m) => m.PublicWindowsPage));
const ReferralsPage = lazyPage(() => import('./pages/ReferralsPage.tsx').then((m) => m.ReferralsPage));
const RoutingRulesPage = lazyPage(() => import('./pages/RoutingRulesPage.tsx').then((m) => m.RoutingRulesPage));
const StatsPage = lazyPage(() => import('./pages/StatsPage.tsx').then((m) => m.StatsPage));
const StatsRecordsPage = lazyPage(() => import('./pages/StatsRecordsPage.tsx').then((m) => m.StatsRecordsPage));
const SupporterMeetingsCentrePage = lazyPage(() => import('./pages/SupporterMeetingsCentrePage.tsx').then((m) => m.SupporterMeetingsCentrePage));
const SupporterMeetingsPage = lazyPage(() => import('./pages/SupporterMeetingsPage.tsx').then((m) => m.SupporterMeetingsPage));
const UsersPage = lazyPage(() => import('./pages/UsersPage.tsx').then((m) => m.UsersPage));

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
