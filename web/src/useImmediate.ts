import { useEffect, useState } from 'react';

/**
 * A control whose value lives in the URL: router navigations run as
 * transitions, so under load the control would lag behind the click (and a
 * checkbox snap back until the navigation commits). The control shows the
 * user's choice at once and follows the URL whenever the URL changes.
 */
export function useImmediate<T>(fromUrl: T): [T, (value: T) => void] {
  const [shown, setShown] = useState(fromUrl);
  useEffect(() => setShown(fromUrl), [fromUrl]);
  return [shown, setShown];
}
