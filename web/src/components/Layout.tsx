import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useLocation } from 'react-router-dom';
import { mayHandleConsultations, mayHandlePrivacyRequests, mayReadFileRegister, mayReviewAudit, mayViewRules, mayWorkWithCases } from '../access.ts';
import { NetworkProvider } from '../network/NetworkProvider.tsx';
import { useSession, useSignedInSession } from '../session.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { LocalName } from './LocalName.tsx';
import { RoleLabel } from './RoleLabel.tsx';
import { mayViewUsers } from '../access.ts';
import { mayBreakGlass, mayReadBreakGlassUses } from '../access.ts';
import { mayViewFigures } from '../access.ts';
import { AlertCountProvider, AlertsLink } from '../alerts/AlertCount.tsx';
import { mayFollowActionItems, mayReadAgreedRules, mayViewMeetingSchedule } from '../access.ts';
import { isPrefectureStaff, mayApplyForHomeVisits, mayBookConsultationDays, mayReadVisits, mayRegisterForSupporterMeetings, mayWorkWithExpertTeam } from '../access.ts';
import { useRouteFocus } from './routeFocus.ts';
import { StepUpDialog } from './StepUpDialog.tsx';

/** The frame of every signed-in page: header, main, footer. */
export function Layout() {
  const { t } = useTranslation();
  const mainRef = useRouteFocus<HTMLElement>();
  return (
    <AlertCountProvider>
      <a className="skip-link" href="#main">{t('app.skipToContent')}</a>
      <SiteHeader />
      <main id="main" ref={mainRef} tabIndex={-1}>
        <NetworkProvider>
          <Outlet />
        </NetworkProvider>
      </main>
      <footer className="site-footer no-print"><p>{t('app.footer')}</p></footer>
      <StepUpDialog />
    </AlertCountProvider>
  );
}

function SiteHeader() {
  const { t } = useTranslation();
  const session = useSignedInSession();
  const { signOut } = useSession();
  const { pathname } = useLocation();
  const onIntakeForm = pathname === '/consultations/new';
  const onConsultations = pathname === '/consultations' || pathname.startsWith('/consultations/');
  return (
    <header className="site-header">
      <div className="site-header__brand">
        <Link to="/" className="site-header__app">{t('app.name')}</Link>
        <span className="site-header__municipality"><LocalName item={session.municipality} /></span>
      </div>
      <nav aria-label={t('header.nav')} className="site-header__nav no-print">
        <ul>
          {isPrefectureStaff(session.role) ? (
            <>
              {/* The centre works with many municipalities: its own network page is not its home. */}
              <li><NavLink to="/prefecture/visits">{t('header.prefectureVisits')}</NavLink></li>
              <li><NavLink to="/prefecture/networks">{t('header.prefectureNetworks')}</NavLink></li>
              <li><NavLink to="/prefecture/proposals">{t('header.prefectureProposals')}</NavLink></li>
              <li><NavLink to="/prefecture/home-visits">{t('homeVisits.navCentre')}</NavLink></li>
              <li><NavLink to="/prefecture/consultation-days">{t('consultationDays.nav')}</NavLink></li>
              <li><NavLink to="/prefecture/partner-groups">{t('partner.centre.nav')}</NavLink></li>
              <li><NavLink to="/prefecture/supporter-meetings">{t('supporterMeetings.nav')}</NavLink></li>
            </>
          ) : <li><NavLink to="/" end>{t('header.network')}</NavLink></li>}
          {mayHandleConsultations(session.role) && (
            <>
              <li><NavLink to="/consultations/new" end>{t('header.intake')}</NavLink></li>
              {/* Still the current section on a consultation's own page, but not on the intake form. */}
              <li>
                <Link to="/consultations" aria-current={onConsultations && !onIntakeForm ? 'page' : undefined}>{t('header.consultations')}</Link>
              </li>
            </>
          )}
          {mayWorkWithCases(session.role) && (
            <>
              {/* Still the current section on a case's own page and the new-case form. */}
              <li><NavLink to="/cases">{t('header.cases')}</NavLink></li>
              <li><NavLink to="/referrals">{t('header.referrals')}</NavLink></li>
              <li><NavLink to="/placements">{t('header.placements')}</NavLink></li>
              <li><NavLink to="/events">{t('header.events')}</NavLink></li>
              <li><NavLink to="/outreach">{t('outreach.nav')}</NavLink></li>
            </>
          )}
          {/* Still the current section on a session's own page. */}
          {mayViewMeetingSchedule(session.role) && <li><NavLink to="/meetings">{t('header.meetings')}</NavLink></li>}
          {mayFollowActionItems(session.role) && <li><NavLink to="/action-items">{t('header.actionItems')}</NavLink></li>}
          {mayReadAgreedRules(session.role) && <li><NavLink to="/rules" end>{t('header.agreedRules')}</NavLink></li>}
          {mayViewFigures(session.role) && <li><NavLink to="/stats">{t('header.stats')}</NavLink></li>}
          {mayReadVisits(session.role) && !isPrefectureStaff(session.role) && (
            <>
              <li><NavLink to="/prefecture/visits">{t('header.centreVisits')}</NavLink></li>
              <li><NavLink to="/prefecture/proposals">{t('header.prefectureProposals')}</NavLink></li>
            </>
          )}
          {mayApplyForHomeVisits(session.role) && <li><NavLink to="/home-visit-applications">{t('homeVisits.nav')}</NavLink></li>}
          {mayBookConsultationDays(session.role) && <li><NavLink to="/consultation-days">{t('consultationDays.navWindow')}</NavLink></li>}
          {mayRegisterForSupporterMeetings(session.role) && <li><NavLink to="/supporter-meetings">{t('supporterMeetings.nav')}</NavLink></li>}
          {mayWorkWithExpertTeam(session.role) && <li><NavLink to={session.role === 'expert_member' ? '/prefecture/expert-submissions' : '/prefecture/expert-conferences'}>{t('header.expertTeam')}</NavLink></li>}
          {mayViewRules(session.role) && <li><NavLink to="/routing/rules">{t('header.rules')}</NavLink></li>}
          {mayReviewAudit(session.role) && (
            <>
              <li><NavLink to="/audit">{t('header.audit')}</NavLink></li>
              <li><NavLink to="/incidents">{t('header.incidents')}</NavLink></li>
            </>
          )}
          {mayHandlePrivacyRequests(session.role) && <li><NavLink to="/privacy/requests">{t('header.privacyRequests')}</NavLink></li>}
          {mayReadFileRegister(session.role) && <li><NavLink to="/privacy/file-register">{t('header.fileRegister')}</NavLink></li>}
          {mayViewUsers(session.role) && <li><NavLink to="/users">{t('header.users')}</NavLink></li>}
          {mayBreakGlass(session.role) && <li><NavLink to="/emergency-access">{t('header.emergencyAccess')}</NavLink></li>}
          {mayReadBreakGlassUses(session.role) && <li><NavLink to="/break-glass">{t('header.breakGlassReview')}</NavLink></li>}
        </ul>
      </nav>
      <div className="site-header__account">
        <dl className="account" aria-label={t('header.account')}>
          <div><dt>{t('header.user')}</dt><dd lang="ja">{session.user.displayName}</dd></div>
          <div><dt>{t('header.organization')}</dt><dd><LocalName item={session.organization} /></dd></div>
          <div><dt>{t('header.role')}</dt><dd><RoleLabel role={session.role} /></dd></div>
        </dl>
        <AlertsLink />
        <LanguageSwitch />
        <NavLink to="/account" className="site-header__settings no-print">{t('account.link')}</NavLink>
        <button type="button" className="button button--secondary no-print" onClick={() => void signOut()}>
          {t('header.signOut')}
        </button>
      </div>
    </header>
  );
}
