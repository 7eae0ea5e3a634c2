// A byte budget for request bodies held for pending copies, like the relay's maxPending: without it,
// 152 picked 1 MB bodies with a 60 s delay held 163 MB. A picked request reserves its body size (its
// Content-Length, or the body cap when it is chunked) before any byte is kept; when the budget is
// spent it is not duplicated (reason `pending-bytes`, counted) — the original is untouched. Released
// when the last copy of that request is done, whatever its outcome. Pure bookkeeping, no I/O.

/**
 * What is held for one owner, kept on the owner itself (the HTTP Exchange): a side table (a WeakMap
 * entry and a record per request) cost about 100 bytes for each pending copy.
 */
export interface PendingHold {
  heldBytes?: number;
  /** Copies of this owner not done yet; 0 or undefined: nothing held. */
  heldCopies?: number;
}

export class PendingBytes {
  private used = 0;

  constructor(readonly limit: number) {}

  /** Reserve `bytes` for `owner`'s `copies` copies; false (nothing reserved) when it would not fit. */
  tryHold(owner: PendingHold, bytes: number, copies: number): boolean {
    if (copies <= 0) return true;
    if (this.used + bytes > this.limit) return false;
    this.used += bytes;
    owner.heldBytes = bytes;
    owner.heldCopies = copies;
    return true;
  }

  /** The body turned out smaller than reserved (a chunked body): give back the difference. */
  shrink(owner: PendingHold, actualBytes: number): void {
    if (!owner.heldCopies || actualBytes >= owner.heldBytes!) return;
    this.used -= owner.heldBytes! - actualBytes;
    owner.heldBytes = actualBytes;
  }

  /** One copy of `owner` is done (sent, dropped or cancelled); the last one releases the bytes. */
  copyDone(owner: PendingHold): void {
    if (!owner.heldCopies) return;
    if (--owner.heldCopies > 0) return;
    this.used -= owner.heldBytes!;
    owner.heldBytes = 0;
  }

  get held(): number {
    return this.used;
  }
}
