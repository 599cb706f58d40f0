// A JSON editor validated and auto-completed from a JSON schema. Schema problems are
// underlined as one types (Monaco's JSON worker); `extraProblems` adds checks a JSON schema
// cannot express (cross-field rules). Every marker is also listed under the editor, so the
// errors are readable without a mouse or a screen.
import { useEffect, useId, useRef, useState } from 'react';
import { monaco } from './monaco-setup.ts';

export interface EditorProblem {
  /** Path to the offending field, e.g. ['top_k']; [] for the whole document. */
  path: (string | number)[];
  message: string;
}

export interface MarkerSummary {
  line: number;
  column: number;
  message: string;
  severity: 'error' | 'warning';
}

const EXTRA_OWNER = 'workbench-config-rules';

/** Finds where a field's key is written, to place a marker on it (or the first line). */
function rangeOfPath(model: monaco.editor.ITextModel, path: (string | number)[]): monaco.IRange {
  const key = [...path].reverse().find((p) => typeof p === 'string');
  if (typeof key === 'string') {
    const match = model.findNextMatch(`"${key}"`, { lineNumber: 1, column: 1 }, false, true, null, false);
    if (match) return match.range;
  }
  return { startLineNumber: 1, startColumn: 1, endLineNumber: 1, endColumn: model.getLineMaxColumn(1) };
}

export default function MonacoJsonEditor({
  value,
  onChange,
  schema,
  schemaUri,
  modelUri,
  extraProblems,
  label,
  onMarkers,
  validate = true,
}: {
  value: string;
  onChange: (text: string) => void;
  schema: Record<string, unknown>;
  schemaUri: string;
  modelUri: string;
  extraProblems: EditorProblem[];
  label: string;
  onMarkers?: (markers: MarkerSummary[]) => void;
  /** false: JSON syntax only, no schema or extra problems (a page that has not been acted on yet). */
  validate?: boolean;
}) {
  const box = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const onMarkersRef = useRef(onMarkers);
  onMarkersRef.current = onMarkers;
  const [markers, setMarkers] = useState<MarkerSummary[]>([]);
  const listId = useId();

  useEffect(() => {
    monaco.languages.json.jsonDefaults.setDiagnosticsOptions({
      validate: true,
      allowComments: false,
      schemaValidation: validate ? 'error' : 'ignore',
      enableSchemaRequest: false,
      schemas: [{ uri: schemaUri, fileMatch: [modelUri], schema }],
    });
  }, [schema, schemaUri, modelUri, validate]);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const uri = monaco.Uri.parse(modelUri);
    monaco.editor.getModel(uri)?.dispose();
    const model = monaco.editor.createModel(value, 'json', uri);
    const instance = monaco.editor.create(element, {
      model,
      automaticLayout: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      fontSize: 13,
      tabSize: 2,
      lineNumbersMinChars: 3,
      ariaLabel: label,
      fixedOverflowWidgets: true,
      quickSuggestions: { strings: true, other: true, comments: false },
    });
    editor.current = instance;
    const changes = model.onDidChangeContent(() => onChangeRef.current(model.getValue()));
    const markerChanges = monaco.editor.onDidChangeMarkers((uris) => {
      if (!uris.some((u) => u.toString() === uri.toString())) return;
      const list = monaco.editor
        .getModelMarkers({ resource: uri })
        .filter((m) => m.severity >= monaco.MarkerSeverity.Warning)
        .map<MarkerSummary>((m) => ({ line: m.startLineNumber, column: m.startColumn, message: m.message, severity: m.severity === monaco.MarkerSeverity.Error ? 'error' : 'warning' }))
        .sort((a, b) => a.line - b.line || a.column - b.column);
      setMarkers(list);
      onMarkersRef.current?.(list);
    });
    return () => {
      changes.dispose();
      markerChanges.dispose();
      instance.dispose();
      model.dispose();
      editor.current = null;
    };
    // The editor is made once per model; later value changes are applied below without recreating it.
  }, [modelUri, label]);

  // A change from outside (the form) replaces the text, keeping the undo stack and the cursor.
  useEffect(() => {
    const model = editor.current?.getModel();
    if (!model || model.getValue() === value) return;
    editor.current!.executeEdits('form', [{ range: model.getFullModelRange(), text: value }]);
    editor.current!.pushUndoStop();
  }, [value]);

  // Keyed by content, not identity: setting markers re-renders, which must not set them again.
  const extraKey = JSON.stringify(validate ? extraProblems : []);
  useEffect(() => {
    const model = editor.current?.getModel();
    if (!model) return;
    const problems = JSON.parse(extraKey) as EditorProblem[];
    monaco.editor.setModelMarkers(
      model,
      EXTRA_OWNER,
      problems.map((p) => ({ ...rangeOfPath(model, p.path), message: p.message, severity: monaco.MarkerSeverity.Error })),
    );
  }, [extraKey, value]);

  return (
    <div className="monaco-wrap">
      <div ref={box} className="monaco-box" data-testid="config-editor" aria-describedby={listId} />
      <ul id={listId} className="marker-list" aria-live="polite" aria-label="Problems in the config">
        {markers.map((m, i) => (
          <li key={i} className={`marker marker-${m.severity}`} data-testid="editor-marker">
            <span className="mono">
              {m.line}:{m.column}
            </span>{' '}
            {m.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
