import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type * as Y from "yjs";
import type { Editor } from "@tiptap/react";
import { draftRoots, listSections, sectionKey } from "@percorso/schema";
import type { DraftSource } from "../lib/api.ts";
import { useYRead } from "../lib/useY.ts";

/**
 * The table of contents: the draft's chapters (its level-2 headings), live as they are renamed
 * or added, each a jump to its heading in the text; a chapter whose seminar changed since its
 * roll-up says so.
 */
export function Contents({
  doc,
  editor,
  sources,
}: {
  doc: Y.Doc;
  editor: Editor | null;
  sources: readonly DraftSource[] | null;
}) {
  const { t } = useTranslation();
  const body = useMemo(() => draftRoots(doc).body, [doc]);
  const sections = useYRead(body, () => listSections(doc));
  const stale = new Set(sources?.filter((s) => s.stale).map((s) => s.chapter));

  return (
    <nav className="desk-toc" aria-labelledby="toc-title">
      <h2 id="toc-title" className="small-heading">
        {t("desk.contents")}
      </h2>
      {sections.length === 0 ? (
        <p className="empty">{t("desk.contentsEmpty")}</p>
      ) : (
        <ol className="toc-list">
          {sections.map((section, index) => (
            <li key={`${section.key}-${index}`}>
              <button
                type="button"
                className="toc-link"
                disabled={!editor}
                onClick={() => editor && jumpTo(editor, section.key)}
              >
                {section.title}
              </button>
              {stale.has(section.key) && (
                <span className="badge badge-stale toc-stale">{t("desk.staleShort")}</span>
              )}
            </li>
          ))}
        </ol>
      )}
    </nav>
  );
}

/**
 * Scrolls to the chapter heading with section key `key` and puts the keyboard there: the caret
 * at the heading's end for a writer, the heading itself focused for a reader.
 */
function jumpTo(editor: Editor, key: string): void {
  const found: { pos: number; size: number }[] = [];
  editor.state.doc.forEach((node, offset) => {
    const level = Number(node.attrs.level as unknown);
    if (node.type.name === "heading" && level === 2 && sectionKey(node.textContent) === key) {
      found.push({ pos: offset, size: node.nodeSize });
    }
  });
  const target = found[0];
  if (!target) return;
  const { pos, size } = target;
  const dom = editor.view.nodeDOM(pos);
  if (!(dom instanceof HTMLElement)) return;
  dom.scrollIntoView({ block: "start" });
  if (editor.isEditable) {
    editor
      .chain()
      .setTextSelection(pos + size - 1)
      .focus(undefined, { scrollIntoView: false })
      .run();
  } else {
    dom.tabIndex = -1;
    dom.focus({ preventScroll: true });
  }
}
