import { markStored } from './serialize.ts';
import type { Rec } from './types.ts';

/** Replacements batched before the id-ordered array is simply rebuilt. */
const MAX_PENDING = 1024;

/**
 * One CW table in memory. Records keep id order (ids only grow), so a list is already sorted by id,
 * which is CW's default order and what forward-only pagination walks. Child tables (additions of an
 * agreement, statuses of a board, notes of a ticket) index records by their parent id.
 */
export class Collection {
  readonly name: string;
  private readonly byId = new Map<number, Rec>();
  private readonly byParent = new Map<number, Map<number, Rec>>();
  private readonly parentOf = new Map<number, number>();
  private sorted: Rec[] | undefined;
  /** Records replaced since `sorted` was last read; see keepSorted. */
  private replaced: Rec[] = [];
  private nextId: number;

  constructor(name: string, firstId = 1) {
    this.name = name;
    this.nextId = firstId;
  }

  allocateId(): number {
    return this.nextId++;
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: number): Rec | undefined {
    return this.byId.get(id);
  }

  /** Inserts or replaces a record (keeping its parent); ids given explicitly advance the counter. */
  put(rec: Rec, parentId?: number): Rec {
    const isNew = !this.byId.has(rec.id);
    markStored(rec);
    this.byId.set(rec.id, rec);
    if (rec.id >= this.nextId) this.nextId = rec.id + 1;
    const parent = parentId ?? this.parentOf.get(rec.id);
    if (parent !== undefined) {
      this.parentOf.set(rec.id, parent);
      const children = this.byParent.get(parent) ?? new Map<number, Rec>();
      this.byParent.set(parent, children);
      children.set(rec.id, rec);
    }
    this.keepSorted(rec, isNew);
    return rec;
  }

  /**
   * Keeps the id-ordered array without re-sorting after a replacement: the new object takes its
   * predecessor's slot when the array is next read (one copy for any number of replacements, since
   * readers and the serializer's page cache hold on to the array they were given). A new id or a
   * delete rebuilds it on the next read.
   */
  private keepSorted(rec: Rec, isNew: boolean): void {
    if (!this.sorted) return;
    if (isNew || this.replaced.length >= MAX_PENDING) {
      this.sorted = undefined;
      this.replaced = [];
      return;
    }
    this.replaced.push(rec);
  }

  delete(id: number): boolean {
    const parent = this.parentOf.get(id);
    if (parent !== undefined) {
      this.byParent.get(parent)?.delete(id);
      this.parentOf.delete(id);
    }
    this.sorted = undefined;
    this.replaced = [];
    return this.byId.delete(id);
  }

  /** The record with this id when it is one of the parent's children: `children(parentId)`'s, by id. */
  child(parentId: number, id: number): Rec | undefined {
    return this.byParent.get(parentId)?.get(id);
  }

  /**
   * All records in id order. The same array is returned until the next write (which makes a new one),
   * so callers must not mutate it and may cache what they derive from it by its identity.
   */
  all(): readonly Rec[] {
    if (this.sorted && this.replaced.length > 0) {
      const copy = this.sorted.slice();
      for (const rec of this.replaced) {
        const at = indexOfId(copy, rec.id);
        if (at >= 0) copy[at] = this.byId.get(rec.id)!;
      }
      this.sorted = copy;
      this.replaced = [];
    }
    if (!this.sorted) this.sorted = [...this.byId.values()].sort((a, b) => a.id - b.id);
    return this.sorted;
  }

  children(parentId: number): Rec[] {
    const children = this.byParent.get(parentId);
    return children ? [...children.values()].sort((a, b) => a.id - b.id) : [];
  }
}

function indexOfId(sorted: readonly Rec[], id: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]!.id < id) lo = mid + 1;
    else hi = mid;
  }
  return sorted[lo]?.id === id ? lo : -1;
}
