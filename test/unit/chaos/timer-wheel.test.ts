import { expect } from 'chai';
import { TimerWheel, type WheelClock, type WheelItem } from '../../../src/chaos/timer-wheel';

/** A fake clock: timers fire only when the test advances time, in due order. */
class FakeClock implements WheelClock {
  t = 0;
  armed: Array<{ fn: () => void; at: number; id: number }> = [];
  sets = 0;
  private ids = 0;
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    this.sets++;
    const id = ++this.ids;
    this.armed.push({ fn, at: this.t + ms, id });
    return id;
  }
  clearTimeout(h: unknown): void {
    this.armed = this.armed.filter((a) => a.id !== h);
  }
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const next = this.armed.filter((a) => a.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.armed = this.armed.filter((a) => a !== next);
      this.t = next.at;
      next.fn();
    }
    this.t = end;
  }
}

interface Item extends WheelItem {
  name: string;
}
const item = (name: string): Item => ({ name });

function setup(slotMs = 2) {
  const clock = new FakeClock();
  const fired: Array<{ name: string; at: number }> = [];
  const wheel = new TimerWheel<Item>((i) => fired.push({ name: i.name, at: clock.t }), slotMs, (e) => { throw e; }, clock);
  return { clock, fired, wheel };
}

describe('TimerWheel', () => {
  it('fires in time order; within a slot in the order scheduled; never early, at most one slot late', () => {
    const { clock, fired, wheel } = setup(2);
    wheel.schedule(item('c'), 9);
    wheel.schedule(item('a'), 3);
    wheel.schedule(item('b2'), 3.5); // same slot as a (2..4], scheduled after it
    wheel.schedule(item('b1'), 4);
    expect(wheel.size).to.equal(4);
    clock.advance(20);
    expect(fired.map((f) => f.name)).to.deep.equal(['a', 'b2', 'b1', 'c']);
    expect(fired.map((f) => f.at)).to.deep.equal([4, 4, 4, 10]);
    expect(wheel.size).to.equal(0);
  });

  it('copies due in the same slot share one timer', () => {
    const { clock, fired, wheel } = setup(5);
    for (let i = 0; i < 100; i++) wheel.schedule(item(`x${i}`), 41 + (i % 4));
    expect(clock.sets).to.equal(1);
    expect(clock.armed).to.have.length(1);
    clock.advance(44);
    expect(fired).to.have.length(0);
    clock.advance(1);
    expect(fired).to.have.length(100);
    expect(new Set(fired.map((f) => f.at))).to.deep.equal(new Set([45]));
    expect(clock.armed).to.have.length(0); // nothing left: no timer holds the process
  });

  it('cancel removes one item (head, middle, tail) and disarms when the wheel is empty', () => {
    const { clock, fired, wheel } = setup(2);
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(item);
    for (const x of [a, b, c, d]) wheel.schedule(x, 10);
    expect(wheel.cancel(b)).to.equal(true);
    expect(wheel.cancel(b)).to.equal(false);
    expect(wheel.cancel(a)).to.equal(true);
    expect(wheel.cancel(d)).to.equal(true);
    expect(wheel.size).to.equal(1);
    clock.advance(10);
    expect(fired.map((f) => f.name)).to.deep.equal(['c']);
    const e = item('e');
    wheel.schedule(e, 5);
    expect(clock.armed).to.have.length(1);
    wheel.cancel(e);
    expect(clock.armed).to.have.length(0);
    clock.advance(100);
    expect(fired).to.have.length(1);
  });

  it('an earlier item re-arms the timer; a cancelled earliest slot is skipped', () => {
    const { clock, fired, wheel } = setup(2);
    wheel.schedule(item('late'), 100);
    const early = item('early');
    wheel.schedule(early, 10);
    expect(clock.armed.map((a) => a.at)).to.deep.equal([10]);
    wheel.cancel(early);
    clock.advance(99);
    expect(fired).to.have.length(0);
    clock.advance(1);
    expect(fired.map((f) => f.name)).to.deep.equal(['late']);
  });

  it('re-arms after the wheel ran empty, and after a tick with later items left', () => {
    const { clock, fired, wheel } = setup(2);
    wheel.schedule(item('a'), 4);
    wheel.schedule(item('b'), 50);
    clock.advance(4);
    expect(fired.map((f) => f.name)).to.deep.equal(['a']);
    expect(clock.armed.map((a) => a.at)).to.deep.equal([50]);
    clock.advance(100);
    expect(fired.map((f) => f.name)).to.deep.equal(['a', 'b']);
    wheel.schedule(item('c'), 6);
    clock.advance(6);
    expect(fired.map((f) => f.name)).to.deep.equal(['a', 'b', 'c']);
  });

  it('a callback may cancel a later item of its own slot, or schedule a zero delay (next slot, no loop)', () => {
    const clock = new FakeClock();
    const fired: string[] = [];
    const b = item('b');
    const wheel: TimerWheel<Item> = new TimerWheel<Item>((i) => {
      fired.push(i.name);
      if (i.name === 'a') wheel.cancel(b);
      if (i.name === 'c') wheel.schedule(item('again'), 0);
    }, 2, (e) => { throw e; }, clock);
    wheel.schedule(item('a'), 2);
    wheel.schedule(b, 2);
    wheel.schedule(item('c'), 2);
    clock.advance(2);
    expect(fired).to.deep.equal(['a', 'c']);
    clock.advance(2);
    expect(fired).to.deep.equal(['a', 'c', 'again']);
    expect(wheel.size).to.equal(0);
  });

  it('an exception in one callback does not stop the others of its slot', () => {
    const clock = new FakeClock();
    const fired: string[] = [];
    const errors: unknown[] = [];
    const wheel = new TimerWheel<Item>((i) => {
      if (i.name === 'bad') throw new Error('boom');
      fired.push(i.name);
    }, 2, (e) => errors.push(e), clock);
    for (const n of ['x', 'bad', 'y']) wheel.schedule(item(n), 1);
    clock.advance(2);
    expect(fired).to.deep.equal(['x', 'y']);
    expect(errors).to.have.length(1);
  });

  it('items of later windows wait in one list per window, then fire at their own slot, in slot order', () => {
    const clock = new FakeClock();
    const fired: Array<{ name: string; at: number }> = [];
    // 2 ms slots, windows of 4 slots (8 ms).
    const wheel = new TimerWheel<Item>((i) => fired.push({ name: i.name, at: clock.t }), 2, (e) => { throw e; }, clock, 4);
    const gone = item('gone');
    wheel.schedule(item('y'), 21); // slot 11, window 2
    wheel.schedule(item('x'), 3); // slot 2, this window
    wheel.schedule(item('z'), 20); // slot 10, window 2
    wheel.schedule(gone, 22); // slot 11, window 2
    wheel.schedule(item('w'), 50); // slot 25, window 6
    expect(wheel.cancel(gone)).to.equal(true);
    expect(wheel.size).to.equal(4);
    clock.advance(100);
    expect(fired).to.deep.equal([{ name: 'x', at: 4 }, { name: 'z', at: 20 }, { name: 'y', at: 22 }, { name: 'w', at: 50 }]);
    expect(wheel.size).to.equal(0);
    expect(clock.armed).to.have.length(0);
  });

  it('10,000 items minutes out cost one list, not one per slot', () => {
    const clock = new FakeClock();
    let n = 0;
    const wheel = new TimerWheel<Item>(() => n++, 2, (e) => { throw e; }, clock);
    for (let i = 0; i < 10_000; i++) {
      clock.t += 0.05; // arriving over 500 ms: ~250 different slots
      wheel.schedule(item(`i${i}`), 600_000);
    }
    expect((wheel as unknown as { lists: Map<number, unknown> }).lists.size).to.be.at.most(2);
    clock.advance(599_499); // the first is due at 600,000.05
    expect(n).to.equal(0);
    clock.advance(600);
    expect(n).to.equal(10_000);
  });

  it('works on the real clock (one slot of 5 ms, delays kept)', async () => {
    const t0 = performance.now();
    const fired: Array<{ name: string; at: number }> = [];
    const wheel = new TimerWheel<Item>((i) => fired.push({ name: i.name, at: performance.now() - t0 }), 5);
    wheel.schedule(item('b'), 30);
    wheel.schedule(item('a'), 10);
    await new Promise((r) => setTimeout(r, 80));
    expect(fired.map((f) => f.name)).to.deep.equal(['a', 'b']);
    expect(fired[0].at).to.be.at.least(9); // loop time may trail performance.now() by under 1 ms
    expect(fired[1].at).to.be.at.least(29);
  });
});
