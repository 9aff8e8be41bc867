import { useTranslation } from 'react-i18next';
import ja from '../i18n/ja.json';

type Role = keyof typeof ja.roles;
const isKnownRole = (role: string): role is Role => Object.hasOwn(ja.roles, role);

/** A role code as its label; a role this UI does not know yet is shown as its code. */
export function RoleLabel({ role }: { role: string }) {
  const { t } = useTranslation();
  return <>{isKnownRole(role) ? t(`roles.${role}`) : role}</>;
}
