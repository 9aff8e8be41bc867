import { request } from '../api.ts';
import type * as Server from '../../../src/modules/network/types.ts';

/** The network as a graph (GET /api/network/map, src/modules/network/map.ts); the shapes are the server's. */
export { EDGE_KINDS, MAP_GROUPS } from '../../../src/modules/network/types.ts';
export type MapGroup = Server.MapGroup;
export type EdgeKind = Server.EdgeKind;
export type MapNode = Server.MapNode;
export type MapEdge = Server.MapEdge;
export type NetworkMapData = Server.NetworkMapAnswer;

export const getNetworkMap = (signal?: AbortSignal) => request<NetworkMapData>('GET', '/api/network/map', { signal });
