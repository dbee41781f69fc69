// Monte Carlo forecasts from the window's daily throughput: "when will N items be done" and
// "how many in D days", seeded, with the histogram of the trials and the chosen confidence.
import { useState } from "react";
import { ipc, type ApiError, type Forecast, type Question } from "../../ipc/client";
import { ForecastHistogram, PERCENTILES, type Percentile } from "./charts";
import { count } from "./scale";

const DEFAULT_SEED = 20180105;
const TRIALS = 10_000;

export function ForecastPanel({ stream, from, to }: { stream: string; from: string | null; to: string | null }) {
  const [kind, setKind] = useState<"when" | "how_many">("when");
  const [items, setItems] = useState("20");
  const [daysText, setDaysText] = useState("14");
  const [seedText, setSeedText] = useState(String(DEFAULT_SEED));
  const [confidence, setConfidence] = useState<Percentile>(85);
  const [forecast, setForecast] = useState<Forecast | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async () => {
    const n = Number(kind === "when" ? items : daysText);
    const seed = Number(seedText);
    if (!Number.isInteger(n) || n < 1) {
      setError(`${kind === "when" ? "Items" : "Days"}: give a whole number of at least 1`);
      return;
    }
    if (!Number.isInteger(seed) || seed < 0) {
      setError("Seed: give a whole number of 0 or more");
      return;
    }
    const q: Question = kind === "when" ? { when: { items: n } } : { how_many: { days: n } };
    setBusy(true);
    setError(null);
    try {
      setForecast(await ipc.forecast(stream, q, from, to, TRIALS, seed));
    } catch (e) {
      setForecast(null);
      setError((e as ApiError).plain ?? (e as ApiError).message ?? String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="card" data-testid="forecast">
      <h3>Forecast: {kind === "when" ? "when will these items be done?" : "how many items in these days?"}</h3>
      <div className="fl-form">
        <div className="fl-seg" role="radiogroup" aria-label="Question">
          <button role="radio" aria-checked={kind === "when"} className={kind === "when" ? "on" : ""} onClick={() => setKind("when")} data-testid="fc-when">
            When will N items be done?
          </button>
          <button role="radio" aria-checked={kind === "how_many"} className={kind === "how_many" ? "on" : ""} onClick={() => setKind("how_many")} data-testid="fc-how-many">
            How many in D days?
          </button>
        </div>
        <div className="field fl-narrow">
          <label htmlFor="fc-n">{kind === "when" ? "Items" : "Days"}</label>
          {kind === "when" ? (
            <input id="fc-n" inputMode="numeric" value={items} onChange={(e) => setItems(e.target.value)} onKeyDown={(e) => e.key === "Enter" && void run()} data-testid="fc-n" />
          ) : (
            <input id="fc-n" inputMode="numeric" value={daysText} onChange={(e) => setDaysText(e.target.value)} onKeyDown={(e) => e.key === "Enter" && void run()} data-testid="fc-n" />
          )}
        </div>
        <div className="field fl-narrow">
          <label htmlFor="fc-conf">Confidence</label>
          <select id="fc-conf" value={confidence} onChange={(e) => setConfidence(Number(e.target.value) as Percentile)} data-testid="fc-confidence">
            {PERCENTILES.map((p) => (
              <option key={p} value={p}>
                {p} %
              </option>
            ))}
          </select>
        </div>
        <div className="field fl-narrow">
          <label htmlFor="fc-seed">Seed</label>
          <input id="fc-seed" inputMode="numeric" value={seedText} onChange={(e) => setSeedText(e.target.value)} data-testid="fc-seed" />
        </div>
        <button className="btn primary" onClick={() => void run()} disabled={busy} data-testid="fc-run">
          {busy ? "Running…" : "Forecast"}
        </button>
      </div>
      {error && (
        <p className="fl-message error" role="alert" data-testid="fc-error">
          {error}
        </p>
      )}
      {forecast && <ForecastResult forecast={forecast} confidence={confidence} />}
    </div>
  );
}

/** The answer at the chosen confidence, what it was drawn from, every percentile and the trials. */
function ForecastResult({ forecast, confidence }: { forecast: Forecast; confidence: Percentile }) {
  const answer = Number(forecast.percentiles[String(confidence)] ?? NaN);
  return (
    <>
      <p className="fl-answer" data-testid="fc-answer">
        {forecast.question === "when" ? (
          <>
            {confidence} % confidence: {count(forecast.items)} items done by <strong>{forecast.dates[String(confidence)] ?? "—"}</strong>, within{" "}
            <strong>{answer} days</strong>
          </>
        ) : (
          <>
            {confidence} % confidence: <strong>at least {answer} items</strong> in {count(forecast.days)} days
          </>
        )}
      </p>
      <p className="fl-muted fl-small-text" data-testid="fc-basis">
        {count(forecast.trials)} trials, seed {String(forecast.seed)}, drawing from the daily throughput of {forecast.window.from} to {forecast.window.to} (
        {forecast.window.days} days, {count(forecast.history_items)} items done, days with none included).
        {forecast.question === "when" ? " Day 1 is the day after the window." : ""}
      </p>
      <table className="t fl-pcts">
        <thead>
          <tr>
            <th>Confidence</th>
            {PERCENTILES.map((p) => (
              <th key={p} className="n">
                {p} %
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>{forecast.question === "when" ? "Done within (days)" : "At least (items)"}</td>
            {PERCENTILES.map((p) => (
              <td key={p} className={p === confidence ? "n fl-chosen" : "n"} data-testid={`fc-p${p}`}>
                {String(forecast.percentiles[String(p)] ?? "—")}
              </td>
            ))}
          </tr>
          {forecast.question === "when" && (
            <tr>
              <td>By</td>
              {PERCENTILES.map((p) => (
                <td key={p} className={p === confidence ? "n fl-chosen" : "n"}>
                  {forecast.dates[String(p)] ?? "—"}
                </td>
              ))}
            </tr>
          )}
        </tbody>
      </table>
      <ForecastHistogram forecast={forecast} confidence={confidence} />
    </>
  );
}
