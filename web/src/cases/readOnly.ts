import { createContext, useContext } from 'react';

/**
 * True while a case is shown through 緊急時の閲覧 (break-the-glass), which
 * opens reads only: the case's forms are then not offered (the server would
 * refuse them anyway).
 */
export const CaseReadOnlyContext = createContext(false);

export const useCaseReadOnly = () => useContext(CaseReadOnlyContext);
