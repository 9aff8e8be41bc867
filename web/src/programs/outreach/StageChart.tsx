import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart, type ChartOption } from '../../stats/Chart.tsx';
import { OUTREACH_STAGES, type OutreachStage } from './api.ts';

/**
 * The person's stage over the visits, as a step line (the stats page's chart
 * library, loaded with this component only). The same figures are in the
 * visits table beside it, so the chart is an image with a label.
 */
export default function StageChart({ points }: { points: { date: string; stage: OutreachStage }[] }) {
  const { t } = useTranslation();
  const labels = OUTREACH_STAGES.map((s) => t(`outreach.stage.${s}`));
  const option = useMemo<ChartOption>(() => ({
    grid: { left: 150, right: 24, top: 16, bottom: 40 },
    xAxis: { type: 'category', data: points.map((p) => p.date) },
    yAxis: { type: 'category', data: labels },
    series: [{ type: 'line', step: 'end', symbolSize: 10, data: points.map((p) => labels[OUTREACH_STAGES.indexOf(p.stage)]) }],
  }), [points, t]);
  const last = points[points.length - 1];
  return <Chart option={option} label={t('outreach.chartLabel', { count: points.length, stage: last ? t(`outreach.stage.${last.stage}`) : '' })} testId="outreach-stage-chart" />;
}
