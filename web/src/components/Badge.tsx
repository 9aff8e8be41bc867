import type { ReactNode } from 'react';

export type BadgeTone =
  | 'internal' | 'external' | 'hub' | 'active' | 'planned' | 'ended' | 'wide-area' | 'co-owned' | 'consent' | 'muted'
  | 'urgent' | 'emergency' | 'concern';

export function Badge({ tone, title, children }: { tone: BadgeTone; title?: string; children: ReactNode }) {
  return <span className={`badge badge--${tone}`} title={title}>{children}</span>;
}
