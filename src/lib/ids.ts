import { v5 as uuidv5 } from 'uuid';

// Fixed namespace for ids derived from profile keys. Never change it: HSDS
// consumers and history rely on ids staying the same across re-imports.
const NAMESPACE = '5f1c8d1e-6b7a-4f0e-9a43-7d2b3c9e1a10';

/** The stable id of a municipality, from its 全国地方公共団体コード. */
export const municipalityId = (code: string) => uuidv5(`municipality/${code}`, NAMESPACE);

/** The stable id of something a profile defines, from its municipality code, kind and key. */
export const profileEntityId = (code: string, kind: string, key: string) => uuidv5(`${code}/${kind}/${key}`, NAMESPACE);

/** Platform-wide audit events (no municipality yet known) go on this chain. */
export const PLATFORM_CHAIN = '00000000-0000-0000-0000-000000000000';
