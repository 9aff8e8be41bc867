import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { uiLanguage } from '../i18n/index.ts';
import { useResource } from '../useResource.ts';
import type { Area, LegalBasisTerm, MeetingSeries, Network, Organization, Program, Term, Vocabularies, VocabularyName } from '../types.ts';

export interface NetworkData {
  network: Network;
  vocabularies: Vocabularies;
  organizationsById: ReadonlyMap<string, Organization>;
  programsById: ReadonlyMap<string, Program>;
  areasById: ReadonlyMap<string, Area>;
  meetingSeriesById: ReadonlyMap<string, MeetingSeries>;
  /** By profile key: routing rules name organisations, programs and areas by key. */
  organizationsByKey: ReadonlyMap<string, Organization>;
  programsByKey: ReadonlyMap<string, Program>;
  areasByKey: ReadonlyMap<string, Area>;
}

const NetworkContext = createContext<NetworkData | null>(null);

/**
 * Loads the municipality's network and the vocabularies once per sign-in;
 * every signed-in page labels codes and names organisations from them.
 */
export function NetworkProvider({ children }: { children: ReactNode }) {
  const [resource, reload] = useResource('network', (signal) =>
    Promise.all([api.getNetwork(signal), api.getVocabularies(signal)]));

  const data = useMemo<NetworkData | null>(() => {
    if (resource.status !== 'ok') return null;
    const [network, vocabularies] = resource.data;
    return {
      network,
      vocabularies,
      organizationsById: new Map(network.organizations.map((o) => [o.id, o])),
      programsById: new Map(network.programs.map((p) => [p.id, p])),
      areasById: new Map(network.areas.map((a) => [a.id, a])),
      meetingSeriesById: new Map(network.meetingSeries.map((m) => [m.id, m])),
      organizationsByKey: new Map(network.organizations.map((o) => [o.key, o])),
      programsByKey: new Map(network.programs.map((p) => [p.key, p])),
      areasByKey: new Map(network.areas.map((a) => [a.key, a])),
    };
  }, [resource]);

  if (resource.status === 'loading') return <Loading />;
  if (resource.status === 'error') return <ErrorPanel error={resource.error} onRetry={reload} />;
  return <NetworkContext.Provider value={data}>{children}</NetworkContext.Provider>;
}

export function useNetwork(): NetworkData {
  const value = useContext(NetworkContext);
  if (!value) throw new Error('useNetwork outside NetworkProvider');
  return value;
}

/** Labels for vocabulary codes in the UI language; an unknown code is shown as it is. */
export function useVocabulary() {
  const { vocabularies } = useNetwork();
  const { i18n } = useTranslation();
  const language = uiLanguage(i18n.language);
  return useMemo(() => {
    const indexes = new Map<VocabularyName, Map<string, Term>>();
    for (const name of Object.keys(vocabularies) as VocabularyName[]) {
      indexes.set(name, new Map(vocabularies[name].map((term) => [term.code, term])));
    }
    const term = (name: VocabularyName, code: string) => indexes.get(name)?.get(code);
    return {
      label: (name: VocabularyName, code: string): string => term(name, code)?.[language] ?? code,
      legalBasis: (code: string): LegalBasisTerm | undefined => term('legalBases', code) as LegalBasisTerm | undefined,
      /** Codes in vocabulary order, which is the order people expect to read them in. */
      order: (name: VocabularyName): string[] => vocabularies[name].map((t) => t.code),
    };
  }, [vocabularies, language]);
}
