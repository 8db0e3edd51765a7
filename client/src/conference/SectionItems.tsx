import type { ComponentType, ReactNode } from "react";
import type * as Y from "yjs";
import type { CommentsContext } from "./Comments.tsx";
import type { NewItemFormProps } from "./ItemForm.tsx";
import type { Passage } from "./passages.ts";

/** What a section's comments or suggestions get from the section. */
export interface SectionTab {
  section: string;
  title: string;
  runs: readonly Y.XmlText[];
  context: CommentsContext;
  /** The new item being written here, with the passage selected when it was started. */
  composer: { passage: Passage | null; words: string } | null;
  onCloseComposer: () => void;
  onOpenComposer: () => void;
}

/**
 * A section's items of one kind (comments, suggestions) as its tab shows them: for those who
 * may write, the form for a new one or the button that opens it; the open items; the closed
 * ones folded away under their count.
 */
export function SectionItems<T extends { id: string }>({
  tab,
  className,
  Form,
  opener,
  legend,
  open,
  closed,
  none,
  closedSummary,
  renderItem,
}: {
  tab: SectionTab;
  className: string;
  /** The form for a new item, shown while the tab's composer is open. */
  Form: ComponentType<NewItemFormProps>;
  /** The button that opens the form, and how to use it. */
  opener: { label: string; hint?: string };
  /** Above the lists (the suggestions' redline legend). */
  legend?: ReactNode;
  open: readonly T[];
  closed: readonly T[];
  /** Said when nothing is open. */
  none: string;
  closedSummary: string;
  renderItem: (item: T) => ReactNode;
}) {
  return (
    <div className={className}>
      {tab.context.canWrite &&
        (tab.composer ? (
          <Form
            section={tab.section}
            runs={tab.runs}
            context={tab.context}
            initial={tab.composer}
            onDone={tab.onCloseComposer}
          />
        ) : (
          <>
            {opener.hint && <p className="hint">{opener.hint}</p>}
            <p>
              <button type="button" className="btn btn-small" onClick={tab.onOpenComposer}>
                {opener.label}
              </button>
            </p>
          </>
        ))}
      {legend}
      {open.length === 0 ? (
        <p className="empty">{none}</p>
      ) : (
        <ItemList items={open} renderItem={renderItem} />
      )}
      {closed.length > 0 && (
        <details className="conf-resolved">
          <summary>{closedSummary}</summary>
          <ItemList items={closed} renderItem={renderItem} />
        </details>
      )}
    </div>
  );
}

function ItemList<T extends { id: string }>({
  items,
  renderItem,
}: {
  items: readonly T[];
  renderItem: (item: T) => ReactNode;
}) {
  return (
    <ol className="conf-items">
      {items.map((item) => (
        <li key={item.id}>{renderItem(item)}</li>
      ))}
    </ol>
  );
}
