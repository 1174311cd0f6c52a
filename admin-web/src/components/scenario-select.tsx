/** A published scenario to start (a delivery's or reply's scenario button, a rich-menu area): the list is read when shown. */
import { useEffect, useState } from 'react';
import { messageOf } from '../api/client';
import { listPublishedScenarios } from '../api/scenarios';

export function ScenarioSelect(props: { id: string; describedBy?: string; value: string; onChange: (scenarioId: string) => void }) {
  const [scenarios, setScenarios] = useState<{ scenarioId: string; name: string }[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    listPublishedScenarios()
      .then(setScenarios)
      .catch((e: unknown) => setError(messageOf(e)));
  }, []);
  return (
    <>
      <select
        id={props.id}
        aria-describedby={props.describedBy}
        value={props.value}
        disabled={scenarios === null && !error}
        onChange={(e) => props.onChange(e.target.value)}
      >
        <option value="">
          {scenarios === null && !error ? '読み込み中…' : scenarios?.length === 0 ? '（公開中のシナリオがありません）' : '選んでください'}
        </option>
        {scenarios?.map((s) => (
          <option key={s.scenarioId} value={s.scenarioId}>
            {s.name}
          </option>
        ))}
        {props.value && scenarios && !scenarios.some((s) => s.scenarioId === props.value) && <option value={props.value}>（公開されていないシナリオ）</option>}
      </select>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
