import { request } from '../api.ts';

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
  list: (query: { unread?: boolean }, signal?: AbortSignal) =>
    request<{ items: Alert[] }>('GET', `/api/alerts${query.unread ? '?unread=true' : ''}`, { signal }),
  markRead: (id: string) => request<void>('POST', `/api/alerts/${encodeURIComponent(id)}/read`),
};
