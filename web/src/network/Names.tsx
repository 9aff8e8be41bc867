import { LocalName, useLocalName } from '../components/LocalName.tsx';
import type { Organization, Program, Ref } from '../types.ts';
import { useNetwork } from './NetworkProvider.tsx';

/**
 * Names of organisations and programs from a reference ({ id, name }) or a
 * profile key, in the UI language. References carry only the Japanese name;
 * the English one comes from the loaded network.
 */

export function OrgName({ org }: { org: Ref }) {
  const { organizationsById } = useNetwork();
  return <LocalName item={organizationsById.get(org.id) ?? org} />;
}

export function ProgramName({ program }: { program: Ref }) {
  const { programsById } = useNetwork();
  return <LocalName item={programsById.get(program.id) ?? program} />;
}

/** A name as text (for button labels and sentences): by reference, or by profile key (unknown keys as they are). */
export function useNameText() {
  const { organizationsById, programsById, organizationsByKey, programsByKey } = useNetwork();
  const localName = useLocalName();
  return {
    org: (org: Ref) => localName(organizationsById.get(org.id) ?? org).text,
    program: (p: Ref) => localName(programsById.get(p.id) ?? p).text,
    orgKey: (key: string) => {
      const o = organizationsByKey.get(key);
      return o ? localName(o).text : key;
    },
    programKey: (key: string) => {
      const p = programsByKey.get(key);
      return p ? localName(p).text : key;
    },
  };
}

/** The organisation that serves a program: its contractor when commissioned, else its first owner. */
export function servingOrganization(program: Program, organizationsById: ReadonlyMap<string, Organization>): Organization | undefined {
  const ref = program.contractors[0] ?? program.owners[0];
  return ref ? organizationsById.get(ref.id) : undefined;
}
