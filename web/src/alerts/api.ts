import { queryString, request, type Paged } from '../api.ts';

/** An in-app alert (お知らせ): to the user or to their role; no personal data in its text. */
export interface Alert {
  id: string;
  kind: string;
  subject: string;
  body: string;
  entityType: string | null;
  entityId: string | null;
  createdAt: string;
  readAt: string | null;
}

/** src/modules/notifications/routes.ts */
export const alertsApi = {
  /** A page of alerts, newest first; `unread` counts the unread ones of every page. */
  list: (query: { unread?: boolean; cursor?: string; limit?: number }, signal?: AbortSignal) =>
    request<Paged<Alert> & { unread: number }>('GET', `/api/alerts?${queryString({ ...query, unread: query.unread ? 'true' : undefined })}`, { signal }),
  markRead: (id: string) => request<void>('POST', `/api/alerts/${encodeURIComponent(id)}/read`),
  /** すべて既読: every alert up to `through` (the newest one shown) counts as read; answers how many are left unread. */
  markAllRead: (through: string) => request<{ unread: number }>('POST', '/api/alerts/read-all', { body: { through } }),
};
