// One epoch replayed for the shown sample: packets carry its activations forward and its deltas
// back, the caption says which pass is under way, and the neurons fill in as the forward pass
// reaches them. The numbers are the epoch's trace, from the simulator.

import {createPacketAnimator, passPhases, PHASE_MS} from './packets.js';
import {sampleText} from './panels.js';

const MIN_PHASE_MS = 120; // shorter than this, packets would flicker: update at once instead
const PLAY_SHARE = 0.8;   // while playing, the packets take this share of each epoch's time

// controls: speed() (0: packets off) and epochsPerSecond(); draw(trace, written, activations,
// activationLabels) draws the network (written: the epoch's panels.numbers); before({playing})
// runs just before the packets start (the epoch's tables).
export function createEpochAnimation(view, {controls, reducedMotion, caption, setPhase, draw, before}) {
  const packets = createPacketAnimator(view);

  // A phase lasts as the speed control says, squeezed while playing so an epoch fits its share
  // of the time the epoch rate gives it; 0 when packets are off.
  function phaseMs(phaseCount, playing) {
    const speed = controls.speed();
    if (speed === 0) return 0;
    const budget = playing ? (1000 * PLAY_SHARE) / controls.epochsPerSecond() / phaseCount : Infinity;
    return Math.min(PHASE_MS / speed, budget);
  }

  function describe(trace, sample, written, phase) {
    const pass = phase.direction === 'forward'
      ? `forward pass, activations a leave layer ${phase.l + 1}`
      : `backward pass, deltas δ leave layer ${phase.l + 2}`;
    return `Epoch ${trace.epoch + 1}, sample ${sample + 1} (${sampleText(written.input, written.target)}): ${pass}.`;
  }

  return {
    // Resolves when the packets have landed (at once when they are off or too quick to see,
    // or when cancelled). playing: more epochs follow at the epoch rate.
    // written: the epoch's numbers as the simulator wrote them (panels.numbers).
    async play(trace, sample, {playing, written}) {
      const ex = trace.examples[sample];
      const labels = written.examples[sample].a;
      const phases = passPhases(trace, sample, written.examples[sample]);
      const ms = phaseMs(phases.length, playing);
      if (reducedMotion || ms < MIN_PHASE_MS) return;
      before({playing});
      await packets.run(phases, {
        phaseMs: ms,
        onPhase: (phase, moment) => {
          setPhase(`${phase.direction}-${phase.l}-${moment}`);
          if (moment === 'start') {
            caption(describe(trace, sample, written.examples[sample], phase));
            if (phase.direction === 'forward' && phase.l === 0) draw(trace, written, [ex.a[0]], labels);
          } else if (phase.direction === 'forward') {
            draw(trace, written, ex.a.slice(0, phase.l + 2), labels);
          }
        },
      });
    },
    cancel() {
      packets.cancel();
    },
  };
}
