// A path the engine should read or write: typed, chosen in the native dialog (desktop), or
// dropped from a file manager (a file:// URI or plain text). In serve mode the dialog answers
// null and the field says so: the path is typed, as the engine may be on another machine.
import { useId, useState } from 'react';
import { useApiContext } from '../api/api-context.tsx';
import { droppedPath } from './dropped-path.ts';
import { errorMessage } from './ErrorNotice.tsx';

export function PathField({
  label,
  value,
  onChange,
  what,
  dialogTitle,
  required,
}: {
  label: string;
  value: string;
  onChange: (path: string) => void;
  what: 'file' | 'folder';
  dialogTitle?: string;
  required?: boolean;
}) {
  const { client, mode } = useApiContext();
  const id = useId();
  const [hint, setHint] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);

  async function browse() {
    setHint(null);
    try {
      const { path } = await client.call('dialogs.pick', { what, title: dialogTitle ?? label });
      if (path) onChange(path);
      else if (mode === 'serve') setHint('No file dialog in the browser: type the path as the server sees it.');
    } catch (error) {
      setHint(errorMessage(error));
    }
  }

  return (
    <div
      className={`field path-field ${dragging ? 'dragging' : ''}`}
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(event) => {
        event.preventDefault();
        // The field takes the drop; the page around it (the Datasets page) must not as well.
        event.stopPropagation();
        setDragging(false);
        const path = droppedPath(event.dataTransfer, window.workbench?.pathForFile);
        if (path) onChange(path);
        else setHint('Could not read a path from what was dropped: type it instead.');
      }}
    >
      <label htmlFor={id}>{label}</label>
      <div className="path-row">
        <input
          id={id}
          type="text"
          className="mono"
          value={value}
          required={required}
          placeholder={what === 'folder' ? '/path/to/folder (or drop it here)' : '/path/to/file (or drop it here)'}
          onChange={(event) => onChange(event.target.value)}
          aria-describedby={hint ? `${id}-hint` : undefined}
          spellCheck={false}
        />
        <button type="button" onClick={() => void browse()}>
          Browse…
        </button>
      </div>
      {hint && (
        <p id={`${id}-hint`} className="hint" role="status">
          {hint}
        </p>
      )}
    </div>
  );
}
