type Props = { openOnly: boolean; onChange: (openOnly: boolean) => void; testId: string };

/** "Include received": shows closed documents beside the open ones. */
export function OpenOnlyToggle({ openOnly, onChange, testId }: Props) {
  return (
    <label className="check">
      <input
        type="checkbox"
        data-testid={testId}
        checked={!openOnly}
        onChange={(e) => onChange(!e.target.checked)}
      />
      Include received
    </label>
  );
}
