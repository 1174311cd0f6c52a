/**
 * シナリオ › 図: the steps as a graph (@xyflow/react, loaded only when staff open this view, so the
 * console's first load stays small). Columns follow the distance from the first step; each choice
 * has its own handle. Dragging from a choice's (or a step's) handle to another step sets where it
 * leads; clicking a step opens it in the editor beside. The list view edits the same draft.
 */
import { Background, Controls, Handle, Position, ReactFlow, type Connection, type Edge as FlowEdge, type Node, type NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useMemo } from 'react';
import type { Edge, ScenarioDraft, Step } from '../../api/scenarios';
import { EDGE_LABELS, WAIT_KIND_LABELS } from '../../../../functions/scenarios/labels';

type StepNodeData = { step: Step; start: boolean; selected: boolean };

const COLUMN = 300;
const ROW = 40;

function exitText(edge: Edge): string | null {
  return edge.to === 'step' ? null : EDGE_LABELS[edge.to];
}

function StepNode(props: NodeProps<Node<StepNodeData>>) {
  const { step, start, selected } = props.data;
  const wait = step.wait;
  return (
    <div className={selected ? 'graph-node selected' : 'graph-node'}>
      <Handle type="target" position={Position.Left} />
      <div className="graph-node-title">
        {start && <span className="badge">最初</span>} {step.name}
      </div>
      <div className="graph-node-kind">{WAIT_KIND_LABELS[wait.kind]}</div>
      {wait.kind === 'choice' ? (
        <ul className="graph-choices">
          {wait.choices.map((c) => (
            <li key={c.choiceId}>
              {c.label.ja || '（未入力）'}
              {exitText(c.next) && <span className="graph-exit"> → {exitText(c.next)}</span>}
              <Handle type="source" position={Position.Right} id={c.choiceId} />
            </li>
          ))}
        </ul>
      ) : (
        <>
          {exitText(wait.next) && <div className="graph-exit">→ {exitText(wait.next)}</div>}
          <Handle type="source" position={Position.Right} id="next" />
        </>
      )}
    </div>
  );
}

const nodeTypes = { step: StepNode };

/** Columns by distance from the first step (breadth first); steps nobody reaches in a last column. */
function layout(draft: ScenarioDraft): Map<string, { x: number; y: number }> {
  const byId = new Map(draft.steps.map((s) => [s.stepId, s]));
  const depth = new Map<string, number>();
  const queue: string[] = [];
  if (byId.has(draft.startStepId)) {
    depth.set(draft.startStepId, 0);
    queue.push(draft.startStepId);
  }
  while (queue.length > 0) {
    const id = queue.shift()!;
    const step = byId.get(id)!;
    const edges = step.wait.kind === 'choice' ? step.wait.choices.map((c) => c.next) : [step.wait.next];
    for (const e of edges) {
      if (e.to === 'step' && byId.has(e.stepId) && !depth.has(e.stepId)) {
        depth.set(e.stepId, depth.get(id)! + 1);
        queue.push(e.stepId);
      }
    }
  }
  const last = Math.max(0, ...depth.values()) + 1;
  const rows = new Map<number, number>();
  const out = new Map<string, { x: number; y: number }>();
  for (const step of draft.steps) {
    const col = depth.get(step.stepId) ?? last;
    const y = rows.get(col) ?? 0;
    const height = 70 + (step.wait.kind === 'choice' ? step.wait.choices.length * 22 : 0);
    rows.set(col, y + height + ROW);
    out.set(step.stepId, { x: col * COLUMN, y });
  }
  return out;
}

export default function ScenarioGraph(props: {
  draft: ScenarioDraft;
  selected: string | null;
  onSelect: (stepId: string) => void;
  onConnect: (from: string, choiceId: string | null, to: string) => void;
}) {
  const { draft, selected } = props;
  const positions = useMemo(() => layout(draft), [draft]);
  const nodes: Node<StepNodeData>[] = draft.steps.map((step) => ({
    id: step.stepId,
    type: 'step',
    position: positions.get(step.stepId)!,
    data: { step, start: step.stepId === draft.startStepId, selected: step.stepId === selected },
    ariaLabel: `ステップ「${step.name}」`,
  }));
  const edges: FlowEdge[] = draft.steps.flatMap((step) => {
    const wait = step.wait;
    const list = wait.kind === 'choice' ? wait.choices.map((c) => ({ handle: c.choiceId, next: c.next })) : [{ handle: 'next', next: wait.next }];
    return list
      .filter((e) => e.next.to === 'step' && draft.steps.some((s) => s.stepId === (e.next as { stepId: string }).stepId))
      .map((e) => ({
        id: `${step.stepId}:${e.handle}`,
        source: step.stepId,
        sourceHandle: e.handle,
        target: (e.next as { stepId: string }).stepId,
      }));
  });
  return (
    <div className="scenario-graph" aria-label="ステップの図（ドラッグで行き先をつなげます）">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        nodesDraggable={false}
        fitView
        minZoom={0.1}
        onNodeClick={(_, node) => props.onSelect(node.id)}
        onConnect={(c: Connection) => {
          if (!c.source || !c.target) return;
          props.onConnect(c.source, c.sourceHandle && c.sourceHandle !== 'next' ? c.sourceHandle : null, c.target);
        }}
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
