import {
  BaseEdge, Controls, EdgeLabelRenderer, Handle, MarkerType, Position, ReactFlow, getStraightPath, useInternalNode,
  type Edge, type EdgeProps, type Node, type NodeProps,
} from '@xyflow/react';
// The library's own styles: bundled into this page's CSS file, loaded with it (no inline style elements).
import '@xyflow/react/dist/style.css';
import { createContext, useContext, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useLocalName } from '../components/LocalName.tsx';
import { usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { EDGE_KINDS, getNetworkMap, type EdgeKind, type MapEdge, type MapNode, type NetworkMapData } from '../network/mapApi.ts';
import { borderPoint, layoutMap, NODE_HEIGHT, NODE_WIDTH, referralWidth } from '../network/mapLayout.ts';
import { useNetwork } from '../network/NetworkProvider.tsx';
import { useResource } from '../useResource.ts';

/** How each kind of edge is drawn; colour is never the only difference (each has its own dash pattern). */
const EDGE_LOOK: Record<EdgeKind, { color: string; dash?: string; width: number }> = {
  commission: { color: '#0b4f8a', width: 2 },
  co_ownership: { color: '#6a3d9a', dash: '8 4', width: 2 },
  meeting: { color: '#1b5e20', dash: '2 4', width: 2 },
  route: { color: '#8a4b00', dash: '12 4 3 4', width: 2.5 },
  referral: { color: '#1b1b1b', width: 2 },
};

type OrgData = { node: MapNode };
type GroupData = { group: string };
type OrgFlowNode = Node<OrgData, 'organization'>;
type GroupFlowNode = Node<GroupData, 'mapGroup'>;
type MapFlowEdge = Edge<{ edge: MapEdge; offset: number; dimmed: boolean }, 'floating'>;

/** The organisation under the pointer or the keyboard focus: its lines stand out, the others fade. */
const ActiveContext = createContext<(id: string | null) => void>(() => {});

/**
 * ネットワーク図 (staff): the municipality's organisations grouped by kind,
 * with commissioning, co-owned programs, meetings, the routing rules' routes
 * and referral counts as lines. Each organisation is a link to its page.
 * Beside the picture, the same content as text for screen readers and for
 * anyone who prefers to read it.
 */
export function NetworkMapPage() {
  const { t } = useTranslation();
  const { network } = useNetwork();
  const localName = useLocalName();
  const [map, reload] = useResource('network-map', (signal) => getNetworkMap(signal));
  const title = t('networkMap.title', { municipality: localName(network.municipality).text });
  usePageTitle(title);
  return (
    <article className="page network-map-page">
      <p className="no-print"><Link to="/">{t('networkMap.backToNetwork')}</Link></p>
      <h1>{title}</h1>
      <p>{t('networkMap.intro')}</p>
      {map.status === 'loading' && <Loading />}
      {map.status === 'error' && <ErrorPanel error={map.error} onRetry={reload} />}
      {map.status === 'ok' && <NetworkMap data={map.data} />}
    </article>
  );
}

function NetworkMap({ data }: { data: NetworkMapData }) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const [shown, setShown] = useState<ReadonlySet<EdgeKind>>(new Set(EDGE_KINDS));
  const [active, setActive] = useState<string | null>(null);

  const nodes = useMemo(() => {
    const { groups, positions } = layoutMap(data.nodes, data.groups);
    const boxes: GroupFlowNode[] = groups.map((g) => ({
      id: `group:${g.group}`, type: 'mapGroup', position: { x: g.x, y: g.y }, data: { group: g.group },
      width: g.width, height: g.height, draggable: false, selectable: false, focusable: false, className: `map-group map-group--${g.group}`,
    }));
    const orgs: OrgFlowNode[] = data.nodes.map((n) => ({
      id: n.id, type: 'organization', parentId: `group:${n.group}`, extent: 'parent', position: positions.get(n.id)!,
      data: { node: n }, width: NODE_WIDTH, height: NODE_HEIGHT, draggable: false, selectable: false, focusable: false,
    }));
    // parents before their children, as the library needs
    return [...boxes, ...orgs];
  }, [data]);

  const edges = useMemo(() => {
    const visible = data.edges.filter((e) => shown.has(e.kind));
    // several kinds between the same two organisations: side by side, not on top of each other
    const byPair = new Map<string, MapEdge[]>();
    for (const e of visible) {
      const pair = [e.source, e.target].sort().join('|');
      byPair.set(pair, [...(byPair.get(pair) ?? []), e]);
    }
    return visible.map((e): MapFlowEdge => {
      const siblings = byPair.get([e.source, e.target].sort().join('|'))!;
      const i = siblings.indexOf(e);
      const look = EDGE_LOOK[e.kind];
      const width = e.kind === 'referral' ? referralWidth(e.referrals) : look.width;
      return {
        id: e.id, source: e.source, target: e.target, type: 'floating', focusable: false, selectable: false,
        data: { edge: e, offset: (i - (siblings.length - 1) / 2) * 6, dimmed: active !== null && e.source !== active && e.target !== active },
        style: { stroke: look.color, strokeWidth: width, strokeDasharray: look.dash },
        markerEnd: e.directed ? { type: MarkerType.ArrowClosed, color: look.color, width: 14, height: 14 } : undefined,
      };
    });
  }, [data, shown, active]);

  const toggle = (kind: EdgeKind, on: boolean) => setShown((s) => {
    const next = new Set(s);
    if (on) next.add(kind);
    else next.delete(kind);
    return next;
  });

  return (
    <div className="network-map">
      <Legend data={data} shown={shown} onToggle={toggle} />
      <ActiveContext.Provider value={setActive}>
        <div
          className="network-map__canvas" data-testid="network-map" data-node-count={data.nodes.length}
          role="group" aria-label={t('networkMap.pictureLabel')} aria-describedby="network-map-text-heading"
        >
          <ReactFlow
            nodes={nodes} edges={edges} nodeTypes={NODE_TYPES} edgeTypes={EDGE_TYPES}
            fitView minZoom={0.2} maxZoom={2}
            nodesDraggable={false} nodesConnectable={false} elementsSelectable={false} nodesFocusable={false} edgesFocusable={false}
            zoomOnScroll={false} preventScrolling={false} panOnScroll={false}
            // the pointer's highlight; having these also lets the pointer reach the organisations' links
            onNodeMouseEnter={(_, n) => setActive(n.type === 'organization' ? n.id : null)} onNodeMouseLeave={() => setActive(null)}
            ariaLabelConfig={{
              'controls.ariaLabel': t('networkMap.controls'), 'controls.zoomIn.ariaLabel': t('networkMap.zoomIn'),
              'controls.zoomOut.ariaLabel': t('networkMap.zoomOut'), 'controls.fitView.ariaLabel': t('networkMap.fitView'),
            }}
          >
            <Controls showInteractive={false} />
          </ReactFlow>
        </div>
      </ActiveContext.Provider>
      <MapAsText data={data} localName={localName} />
    </div>
  );
}

function OrganizationNode({ data }: NodeProps<OrgFlowNode>) {
  const { t } = useTranslation();
  const setActive = useContext(ActiveContext);
  const name = useLocalName()(data.node);
  return (
    <>
      <Handle type="target" position={Position.Top} isConnectable={false} className="map-handle" />
      <Link
        to={`/organizations/${data.node.id}`} className={`map-node map-node--${data.node.group} nodrag nopan`}
        data-testid="map-node"
        onFocus={() => setActive(data.node.id)} onBlur={() => setActive(null)}
      >
        <span lang={name.lang} className="map-node__name">{name.text}</span>
        {data.node.hub && <span className="map-node__hub">{t('networkMap.hub')}</span>}
      </Link>
      <Handle type="source" position={Position.Bottom} isConnectable={false} className="map-handle" />
    </>
  );
}

function GroupNode({ data }: NodeProps<GroupFlowNode>) {
  const { t } = useTranslation();
  return <div className="map-group__title">{t(`networkMap.group.${data.group}`, { defaultValue: data.group })}</div>;
}

/** A straight line between the borders of two organisations, whichever sides face each other. */
function FloatingEdge({ id, source, target, markerEnd, style, data }: EdgeProps<MapFlowEdge>) {
  const from = useInternalNode(source);
  const to = useInternalNode(target);
  if (!from || !to || !data) return null;
  const box = (n: NonNullable<typeof from>) => ({
    x: n.internals.positionAbsolute.x, y: n.internals.positionAbsolute.y, width: n.measured.width ?? NODE_WIDTH, height: n.measured.height ?? NODE_HEIGHT,
  });
  const a = borderPoint(box(from), box(to));
  const b = borderPoint(box(to), box(from));
  // shift parallel lines sideways, perpendicular to their direction
  const length = Math.hypot(b.x - a.x, b.y - a.y) || 1;
  const ox = (-(b.y - a.y) / length) * data.offset;
  const oy = ((b.x - a.x) / length) * data.offset;
  const [path, labelX, labelY] = getStraightPath({ sourceX: a.x + ox, sourceY: a.y + oy, targetX: b.x + ox, targetY: b.y + oy });
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} style={{ ...style, opacity: data.dimmed ? 0.12 : 1 }} />
      {data.edge.kind === 'referral' && !data.dimmed && (
        <EdgeLabelRenderer>
          <div className="map-edge-count" style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}>
            {data.edge.referrals}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

const NODE_TYPES = { organization: OrganizationNode, mapGroup: GroupNode };
const EDGE_TYPES = { floating: FloatingEdge };

/** The groups' colours and the kinds of line, each kind with a switch to show or hide it. */
function Legend({ data, shown, onToggle }: { data: NetworkMapData; shown: ReadonlySet<EdgeKind>; onToggle(kind: EdgeKind, on: boolean): void }) {
  const { t } = useTranslation();
  const present = new Set(data.nodes.map((n) => n.group));
  const counts = Object.fromEntries(EDGE_KINDS.map((k) => [k, data.edges.filter((e) => e.kind === k).length]));
  return (
    <section className="map-legend" aria-labelledby="map-legend-heading">
      <h2 id="map-legend-heading">{t('networkMap.legend')}</h2>
      <ul className="map-legend__groups">
        {data.groups.filter((g) => present.has(g)).map((g) => (
          <li key={g}><span className={`map-legend__swatch map-node--${g}`} aria-hidden="true" />{t(`networkMap.group.${g}`)}</li>
        ))}
      </ul>
      <fieldset className="map-legend__edges">
        <legend>{t('networkMap.lines')}</legend>
        {EDGE_KINDS.map((k) => (
          <label key={k} className="choice">
            <input type="checkbox" checked={shown.has(k)} onChange={(e) => onToggle(k, e.target.checked)} />
            <svg width="44" height="12" aria-hidden="true" focusable="false">
              <line x1="2" y1="6" x2="40" y2="6" stroke={EDGE_LOOK[k].color} strokeWidth={k === 'referral' ? 4 : EDGE_LOOK[k].width} strokeDasharray={EDGE_LOOK[k].dash} />
            </svg>
            <span>{t(`networkMap.edge.${k}`)} <span className="count">({counts[k]})</span></span>
          </label>
        ))}
        <p className="field__hint">{t('networkMap.referralHint')}</p>
      </fieldset>
    </section>
  );
}

/** The picture's content in words: each group, its organisations, and every line from or to each. */
function MapAsText({ data, localName }: { data: NetworkMapData; localName: ReturnType<typeof useLocalName> }) {
  const { t } = useTranslation();
  const byId = new Map(data.nodes.map((n) => [n.id, n]));
  const name = (id: string) => {
    const n = byId.get(id);
    return n ? localName(n) : { text: id, lang: 'ja' as const };
  };
  const relations = (n: MapNode) => data.edges.flatMap((e) => {
    if (e.source !== n.id && e.target !== n.id) return [];
    const outgoing = e.source === n.id;
    const other = name(outgoing ? e.target : e.source);
    const key = !e.directed ? e.kind : `${e.kind}.${outgoing ? 'out' : 'in'}`;
    return [{ id: e.id, text: t(`networkMap.relation.${key}` as 'networkMap.relation.meeting', { count: e.referrals }), other, labels: e.labels }];
  });
  return (
    <section className="map-text" aria-labelledby="network-map-text-heading">
      <h2 id="network-map-text-heading">{t('networkMap.asText', { organizations: data.nodes.length, lines: data.edges.length })}</h2>
      {data.groups.map((g) => {
        const members = data.nodes.filter((n) => n.group === g);
        if (members.length === 0) return null;
        return (
          <section key={g} aria-labelledby={`map-text-${g}`}>
            <h3 id={`map-text-${g}`}>{t(`networkMap.group.${g}`)}</h3>
            <ul className="map-text__organizations">
              {members.map((n) => {
                const rels = relations(n);
                const own = localName(n);
                return (
                  <li key={n.id} data-testid="map-organization">
                    <Link to={`/organizations/${n.id}`} lang={own.lang}>{own.text}</Link>
                    {rels.length > 0 && (
                      <ul>
                        {rels.map((r) => (
                          <li key={r.id}>
                            {r.text}: <span lang={r.other.lang}>{r.other.text}</span>
                            {r.labels.length > 0 && <span className="map-text__labels" lang="ja">（{r.labels.join('、')}）</span>}
                          </li>
                        ))}
                      </ul>
                    )}
                  </li>
                );
              })}
            </ul>
          </section>
        );
      })}
    </section>
  );
}
