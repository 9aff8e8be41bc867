import { BarChart, LineChart, SankeyChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only the parts the dashboard draws, so the page's chunk stays small. The canvas renderer and
// plain-text tooltips set no inline style attributes, which the Content-Security-Policy refuses.
echarts.use([BarChart, LineChart, SankeyChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

/**
 * One chart. The picture is for sighted readers; the same figures are in a
 * table beside it, so the chart itself is an image with a label.
 */
export function Chart({ option, label, tall = false, testId }: { option: ChartOption; label: string; tall?: boolean; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!ref.current) return;
    // the height given here, not read from the page: the container may not be laid out yet
    const instance = echarts.init(ref.current, undefined, { renderer: 'canvas', height: tall ? 480 : 320 });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(ref.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [tall]);

  useEffect(() => {
    chart.current?.setOption({ aria: { enabled: false }, tooltip: { renderMode: 'richText' }, animation: false, ...option }, true);
  }, [option]);

  return <div ref={ref} className={tall ? 'stats-chart stats-chart--tall' : 'stats-chart'} role="img" aria-label={label} data-testid={testId} />;
}
