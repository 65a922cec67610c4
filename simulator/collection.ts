import { markStored } from './serialize.ts';
import type { Rec } from './types.ts';

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
    // A replaced record is a new object too, so the cached order must be rebuilt either way.
    if (isNew || this.sorted) this.sorted = undefined;
    return rec;
  }

  delete(id: number): boolean {
    const parent = this.parentOf.get(id);
    if (parent !== undefined) {
      this.byParent.get(parent)?.delete(id);
      this.parentOf.delete(id);
    }
    this.sorted = undefined;
    return this.byId.delete(id);
  }

  parentIdOf(id: number): number | undefined {
    return this.parentOf.get(id);
  }

  /** All records in id order; the array is cached until the next write, so callers must not mutate it. */
  all(): readonly Rec[] {
    if (!this.sorted) this.sorted = [...this.byId.values()].sort((a, b) => a.id - b.id);
    return this.sorted;
  }

  children(parentId: number): Rec[] {
    const children = this.byParent.get(parentId);
    return children ? [...children.values()].sort((a, b) => a.id - b.id) : [];
  }
}
