// What the markdown renderer asks of its host page. Kept in its own file so every renderer module can import
// the type without importing the streaming class.
import type { Definition } from './definitions';

/** Callbacks for the user's actions on rendered markdown; the renderer itself never navigates or fetches. */
export interface MarkdownHooks {
  /** A link the user activated (only http:, https:, mailto: are ever made clickable). */
  onLink(href: string): void;
  /** A link to a workspace file the user activated; the host opens it only inside the workspace. */
  onOpenFile(path: string, line: number | undefined): void;
  /** The user asked to load a remote image placeholder. Resolve with a data: URL (the host fetches it) or reject. */
  loadImage(src: string): Promise<string>;
  /** Code block buttons. */
  onCopy(code: string): void;
  onInsert(code: string): void;
}

/** What every render function needs: where to create nodes, whom to tell about clicks, what labels mean. */
export interface RenderContext {
  doc: Document;
  hooks: MarkdownHooks;
  /** Images the user already loaded, by source URL, so a re-rendered open block shows them again. */
  loadedImages: Map<string, string>;
  /** The link reference definition for an identifier (mdast's normalised label). */
  definition(identifier: string): Definition | undefined;
}
