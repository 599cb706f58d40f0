// A labelled number input that keeps what the user typed (an empty or half-typed value stays
// on screen) and reports a number, or null when empty.
import { useId } from 'react';

export function NumberField({
  label,
  value,
  onChange,
  min,
  max,
  step,
  placeholder,
  help,
}: {
  label: string;
  value: number | null;
  onChange: (value: number | null) => void;
  min?: number;
  max?: number;
  step?: number | 'any';
  placeholder?: string;
  help?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        value={value ?? ''}
        min={min}
        max={max}
        step={step ?? 'any'}
        placeholder={placeholder}
        title={help}
        aria-describedby={help ? `${id}-help` : undefined}
        onChange={(e) => onChange(e.target.value === '' ? null : Number(e.target.value))}
      />
      {help && (
        <span id={`${id}-help`} className="visually-hidden">
          {help}
        </span>
      )}
    </div>
  );
}
