# Manual compatibility check (needs pandas; Debian: /usr/bin/python3 with python3-pandas):
#   /usr/bin/python3 bench/Prophet/verify_model_json_with_pandas.py <folder> <case> [<case> ...]
# where <folder>/<case>.json is ProphetSerializer.ModelToJson output and <folder>/<case>_forecast.csv our Predict output
# (ProphetForecast.WriteCsv) for the same model.
# Loads our JSON with the pandas conversions of prophet's serialize.py model_from_dict (pandas 1.5.3), then
# recomputes trend and seasonal components with prophet's formulas and compares them to our predictions.
import json, sys
from io import StringIO
from collections import OrderedDict
import numpy as np, pandas as pd

SIMPLE = ['growth','n_changepoints','specified_changepoints','changepoint_range','yearly_seasonality','weekly_seasonality','daily_seasonality','seasonality_mode','seasonality_prior_scale','changepoint_prior_scale','holidays_prior_scale','mcmc_samples','interval_width','uncertainty_samples','y_scale','y_min','scaling','logistic_floor','country_holidays','component_modes','holidays_mode']
for name in sys.argv[2:]:
    folder = sys.argv[1]
    d = json.load(open(f'{folder}/{name}.json'))
    m = {}
    for a in SIMPLE: m[a] = d[a]
    for a in ['changepoints','history_dates','train_holiday_names']:
        if d[a] is None: m[a] = None; continue
        s = pd.read_json(StringIO(d[a]), typ='series', orient='split')
        if s.name == 'ds':
            if len(s) == 0: s = pd.to_datetime(s)
            s = s.dt.tz_localize(None)
        m[a] = s
    m['start'] = pd.Timestamp.fromtimestamp(d['start'], tz='UTC').tz_localize(None)
    m['t_scale'] = pd.Timedelta(seconds=d['t_scale'])
    for a in ['holidays','history','train_component_cols']:
        if d[a] is None: m[a] = None; continue
        df = pd.read_json(StringIO(d[a]), typ='frame', orient='table', convert_dates=['ds'])
        if a == 'train_component_cols':
            df.columns.name = 'component'; df.index.name = 'col'
        m[a] = df
    m['changepoints_t'] = np.array(d['changepoints_t'])
    for a in ['seasonalities','extra_regressors']:
        keys, dd = d[a]; od = OrderedDict()
        for k in keys: od[k] = dd[k]
        m[a] = od
    params = {k: np.array(v) for k, v in d['params'].items()}
    print(name, 'loaded: start', m['start'], 't_scale', m['t_scale'], 'history', m['history'].shape, 'dtypes ds', m['history']['ds'].dtype,
          'changepoints', m['changepoints'].dtype, len(m['changepoints']), 'components', list(m['train_component_cols'].columns)[:6], '...')
    ours = pd.read_csv(f'{folder}/{name}_forecast.csv', parse_dates=['ds'])
    t = ((ours['ds'] - m['start']) / m['t_scale']).values
    k = params['k'][0][0] if params['k'].ndim > 1 else params['k'][0]
    mm = params['m'][0][0] if params['m'].ndim > 1 else params['m'][0]
    deltas = params['delta'][0]; beta = params['beta'][0]
    cps = m['changepoints_t']
    if m['growth'] == 'linear':
        deltas_t = (cps[None, :] <= t[..., None]) * deltas
        trend = (deltas_t.sum(axis=1) + k) * t + ((deltas_t * -cps).sum(axis=1) + mm)
    else:
        cap = (ours['cap'].values - 0) / m['y_scale']
        gammas = np.zeros(len(cps)); k_s = np.append(k, k + np.cumsum(deltas))
        for i, c in enumerate(cps):
            gammas[i] = (c - mm - np.sum(gammas[:i])) * (1 - k_s[i] / k_s[i + 1])
        k_t = k * np.ones_like(t); m_t = mm * np.ones_like(t)
        for s, c in enumerate(cps):
            idx = t >= c; k_t[idx] += deltas[s]; m_t[idx] += gammas[s]
        trend = cap / (1 + np.exp(-k_t * (t - m_t)))
    trend = trend * m['y_scale']
    print('  trend max |ours - python|:', np.max(np.abs(trend - ours['trend'].values)))
    # seasonal features in prophet's column order: seasonalities first
    tdays = (ours['ds'] - pd.Timestamp('1970-01-01')).dt.total_seconds().values / 86400.0
    col = 0
    for sname, props in m['seasonalities'].items():
        cols = []
        for i in range(props['fourier_order']):
            for fun in (np.sin, np.cos):
                cols.append(fun((i + 1) * 2 * np.pi * tdays / props['period']))
        X = np.column_stack(cols)
        idx = np.where(m['train_component_cols'][sname].values == 1)[0]
        comp = X @ beta[idx] * (m['y_scale'] if sname in m['component_modes']['additive'] else 1)
        print(f'  {sname} max |ours - python|:', np.max(np.abs(comp - ours[sname].values)), 'columns', idx[:3], '...')
    for rname, props in m['extra_regressors'].items():
        idx = np.where(m['train_component_cols'][rname].values == 1)[0]
        x = ours['ds'].map(lambda ds: 1.0 if ds.weekday() == 6 and (ds.month > 8 or ds.month < 2) else 0.0).values
        comp = (x - props['mu']) / props['std'] * beta[idx[0]] * m['y_scale']
        print(f'  regressor {rname} max |ours - python|:', np.max(np.abs(comp - ours[rname].values)))
    if m['train_holiday_names'] is not None:
        print('  train_holiday_names:', list(m['train_holiday_names'])[:4], '...', 'holidays frame', None if m['holidays'] is None else m['holidays'].shape)
