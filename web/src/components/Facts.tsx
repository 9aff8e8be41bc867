import type { ReactNode } from 'react';

/** A label–value list (dl); rows whose value is empty are left out by the caller. */
export function Facts({ children, wide = false }: { children: ReactNode; wide?: boolean }) {
  return <dl className={wide ? 'facts facts--wide' : 'facts'}>{children}</dl>;
}

export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="facts__row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
