// Analytics: funnel, score distribution, DISC insights, channel performance, autonomy and AI cost for a date range.
import { fmtNumber } from '../dom.js';
import { barChart, table } from './analytics-charts.js';

const DAY = 86400000;

function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

function percent(rate) {
  return rate === null || rate === undefined ? '–' : fmtNumber(rate, { style: 'percent', maximumFractionDigits: 1 });
}

function seconds(value, t) {
  if (value === null || value === undefined) {
    return '–';
  }
  return value >= 3600 ? t('analytics.hours', { n: fmtNumber(value / 3600, { maximumFractionDigits: 1 }) })
    : value >= 60 ? t('analytics.minutes', { n: fmtNumber(value / 60, { maximumFractionDigits: 1 }) })
      : t('analytics.seconds', { n: fmtNumber(value, { maximumFractionDigits: 0 }) });
}

function usd(value) {
  return fmtNumber(value ?? 0, { style: 'currency', currency: 'USD', maximumFractionDigits: 4 });
}

export async function render(main, { api, t, h, signal }) {
  const today = new Date();
  const from = h('input', { id: 'analytics-from', name: 'from', type: 'date', value: isoDay(new Date(today.getTime() - 29 * DAY)), 'aria-describedby': 'analytics-range-error' });
  const to = h('input', { id: 'analytics-to', name: 'to', type: 'date', value: isoDay(today), 'aria-describedby': 'analytics-range-error' });
  const error = h('p', { id: 'analytics-range-error', class: 'form-error', role: 'alert' });
  const status = h('p', { class: 'visually-hidden', role: 'status' });
  const results = h('div', { class: 'analytics-results' });

  const load = async () => {
    error.textContent = '';
    from.removeAttribute('aria-invalid');
    to.removeAttribute('aria-invalid');
    status.textContent = t('analytics.loading');
    const query = `?from=${encodeURIComponent(from.value)}&to=${encodeURIComponent(to.value)}`;
    try {
      const [funnel, scores, personality, channels, autonomy, ai] = await Promise.all(
        ['funnel', 'scores', 'personality', 'channels', 'autonomy', 'ai-usage'].map((r) => api.get(`/api/analytics/${r}${query}`, { signal })));
      results.replaceChildren(...sections({ funnel, scores, personality, channels, autonomy, ai }, t, h));
      status.textContent = t('analytics.loaded', { from: funnel.from, to: funnel.to });
    } catch (e) {
      if (e?.name === 'AbortError') {
        return;
      }
      if (e?.status === 400 && (e.field === 'from' || e.field === 'to')) {
        error.textContent = e.title;
        (e.field === 'from' ? from : to).setAttribute('aria-invalid', 'true');
        status.textContent = '';
        return;
      }
      throw e;
    }
  };

  const form = h('form', { class: 'analytics-range', novalidate: true, onsubmit: (e) => {
    e.preventDefault();
    load().catch((err) => {
      error.textContent = err?.title || String(err);
    });
  } },
  h('div', { class: 'field' }, h('label', { for: 'analytics-from' }, t('analytics.from')), from),
  h('div', { class: 'field' }, h('label', { for: 'analytics-to' }, t('analytics.to')), to),
  h('div', { class: 'field range-apply' }, h('button', { type: 'submit', id: 'analytics-apply' }, t('analytics.apply'))));

  main.append(h('h1', {}, t('analytics.title')), h('p', { class: 'muted' }, t('analytics.intro')), form, error, status, results);
  await load();
}

function section(h, id, title, ...content) {
  return h('section', { class: 'card analytics-section', id, 'aria-labelledby': `${id}-h` }, h('h2', { id: `${id}-h` }, title), ...content);
}

function sections({ funnel, scores, personality, channels, autonomy, ai }, t, h) {
  const numbers = t('analytics.numbers');
  const empty = t('analytics.empty');

  const funnelChart = barChart({
    id: 'chart-funnel', title: t('analytics.funnel.chart'), numbersText: numbers, emptyText: empty,
    columns: [t('analytics.step'), t('analytics.leads'), t('analytics.conversion')],
    rows: funnel.steps.map((s) => ({ label: t(`analytics.step.${s.step}`), value: s.leads, display: fmtNumber(s.leads), extra: [percent(s.conversion)] })),
  });

  const temperatureChart = barChart({
    id: 'chart-temperature', title: t('analytics.scores.temperature'), numbersText: numbers, emptyText: empty,
    columns: [t('analytics.temperature'), t('analytics.leads')],
    rows: scores.temperatures.map((x) => ({ label: t(`analytics.temp.${x.temperature}`), value: x.leads, display: fmtNumber(x.leads), cls: x.temperature })),
  });
  const healthChart = barChart({
    id: 'chart-health', title: t('analytics.scores.health'), numbersText: numbers, emptyText: empty,
    columns: [t('analytics.healthRange'), t('analytics.leads')],
    rows: scores.health.map((b) => ({ label: `${b.min}–${b.max}`, value: b.leads, display: fmtNumber(b.leads) })),
  });

  const discChart = barChart({
    id: 'chart-disc', title: t('analytics.disc.chart'), numbersText: numbers, emptyText: empty,
    columns: [t('analytics.discType'), t('analytics.leads'), t('analytics.won'), t('analytics.conversion')],
    rows: personality.types.map((x) => ({ label: t(`analytics.disc.${x.type}`), value: x.leads, display: fmtNumber(x.leads), extra: [fmtNumber(x.won), percent(x.conversion)] })),
  });

  const channelChart = barChart({
    id: 'chart-channels', title: t('analytics.channels.chart'), numbersText: numbers, emptyText: empty,
    columns: [t('analytics.channel'), t('analytics.replyRate'), t('analytics.sent'), t('analytics.replied'), t('analytics.median'), t('analytics.p90')],
    rows: channels.byChannel.map((c) => ({ label: t(`analytics.channel.${c.channel}`) === `analytics.channel.${c.channel}` ? c.channel : t(`analytics.channel.${c.channel}`), value: c.replyRate ?? 0, display: percent(c.replyRate), extra: [fmtNumber(c.sent), fmtNumber(c.replied), seconds(c.medianReplySeconds, t), seconds(c.p90ReplySeconds, t)] })),
  });

  const channelLabel = (c) => (t(`analytics.channel.${c}`) === `analytics.channel.${c}` ? c : t(`analytics.channel.${c}`));
  const replyTimeChart = barChart({
    id: 'chart-reply-time', title: t('analytics.replyTime.chart'), numbersText: numbers, emptyText: empty,
    columns: [t('analytics.channel'), t('analytics.median'), t('analytics.p90'), t('analytics.replied')],
    rows: channels.byChannel.map((c) => ({ label: channelLabel(c.channel), value: c.medianReplySeconds ?? 0, display: seconds(c.medianReplySeconds, t), extra: [seconds(c.p90ReplySeconds, t), fmtNumber(c.replied)] })),
  });

  // All 24 hours, in the client's time zone (the API counts them there), hours without a reply too.
  const byHour = new Map(channels.byHour.map((x) => [x.hour, x]));
  const hourChart = barChart({
    id: 'chart-hours', title: t('analytics.hours.chart', { tz: channels.timeZone }), numbersText: numbers, emptyText: empty,
    columns: [t('analytics.hour'), t('analytics.replied'), t('analytics.sent'), t('analytics.median')],
    rows: Array.from({ length: 24 }, (_, hour) => {
      const x = byHour.get(hour);
      return { label: `${String(hour).padStart(2, '0')}:00`, value: x?.replied ?? 0, display: fmtNumber(x?.replied ?? 0), extra: [fmtNumber(x?.sent ?? 0), seconds(x?.medianReplySeconds, t)] };
    }),
  });

  const costChart = barChart({
    id: 'chart-ai', title: t('analytics.ai.chart'), numbersText: numbers, emptyText: empty,
    columns: [t('analytics.model'), t('analytics.cost'), t('analytics.calls'), t('analytics.tokens'), t('analytics.p95'), t('analytics.fallback')],
    rows: ai.byModel.map((m) => ({ label: m.model, value: m.costUsd, display: usd(m.costUsd), extra: [fmtNumber(m.calls), fmtNumber(m.totalTokens), m.p95LatencyMs === null ? '–' : t('analytics.ms', { n: fmtNumber(m.p95LatencyMs, { maximumFractionDigits: 0 }) }), percent(m.fallbackRate)] })),
  });

  const stat = (label, value, id) => h('div', { class: 'stat' }, h('p', { class: 'stat-label', id }, label), h('p', { class: 'stat-value', 'aria-describedby': id }, value));

  return [
    section(h, 'analytics-funnel', t('analytics.funnel'), funnelChart),
    section(h, 'analytics-scores', t('analytics.scores'),
      h('p', { class: 'muted' }, t('analytics.scores.total', { n: fmtNumber(scores.leads) })),
      h('div', { class: 'chart-pair' }, temperatureChart, healthChart)),
    section(h, 'analytics-disc', t('analytics.disc'), discChart),
    section(h, 'analytics-channels', t('analytics.channels'), channelChart, h('div', { class: 'chart-pair' }, replyTimeChart, hourChart)),
    section(h, 'analytics-autonomy', t('analytics.autonomy'),
      h('div', { class: 'stats' },
        stat(t('analytics.conversations'), fmtNumber(autonomy.conversations), 'stat-conv'),
        stat(t('analytics.handled'), fmtNumber(autonomy.handledWithoutHuman), 'stat-handled'),
        stat(t('analytics.autonomyRate'), percent(autonomy.autonomyRate), 'stat-rate')),
      autonomy.escalationReasons.length
        ? table([t('analytics.reason'), t('analytics.count')], autonomy.escalationReasons.map((r) => [r.reason, fmtNumber(r.count)]), t('analytics.reason'))
        : h('p', { class: 'muted' }, t('analytics.noEscalations'))),
    section(h, 'analytics-ai', t('analytics.ai'),
      h('div', { class: 'stats' },
        stat(t('analytics.totalCost'), usd(ai.total.costUsd), 'stat-cost'),
        stat(t('analytics.calls'), fmtNumber(ai.total.calls), 'stat-calls'),
        stat(t('analytics.tokens'), fmtNumber(ai.total.totalTokens), 'stat-tokens')),
      costChart),
  ];
}
