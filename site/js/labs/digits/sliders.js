// The hidden-neurons and learning-rate sliders, each with a visible label and value.
//
// The value beside a slider follows it while it is dragged; the setting goes to the simulator
// only when the slider is let go (`change`), so a drag builds one network, not sixty.

// Learning rates on a roughly logarithmic scale: small steps crawl, large ones overshoot.
const LEARNING_RATES = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 3, 5, 10];

export function createSliders(root, {onChange}) {
  const hidden = root.querySelector('#digits-hidden');
  const hiddenValue = root.querySelector('[data-value="hidden"]');
  const rate = root.querySelector('#digits-rate');
  const rateValue = root.querySelector('[data-value="learning_rate"]');
  rate.max = LEARNING_RATES.length - 1;

  const rateAt = (position) => LEARNING_RATES[Number(position)];
  function showRate(value) {
    rateValue.textContent = String(value);
    rate.setAttribute('aria-valuetext', String(value));
  }

  hidden.addEventListener('input', () => { hiddenValue.textContent = hidden.value; });
  hidden.addEventListener('change', () => onChange({hidden: Number(hidden.value)}));
  rate.addEventListener('input', () => showRate(rateAt(rate.value)));
  rate.addEventListener('change', () => onChange({learning_rate: rateAt(rate.value)}));

  return {
    // settings: the simulator's settings for the lab (a rate from a link may lie between the
    // slider's stops: the slider sits at the nearest stop and the label shows the exact value).
    render(settings) {
      hidden.value = settings.hidden;
      hiddenValue.textContent = String(settings.hidden);
      rate.value = nearestIndex(LEARNING_RATES, settings.learning_rate);
      showRate(settings.learning_rate);
    },
  };
}

function nearestIndex(values, target) {
  let best = 0;
  values.forEach((value, index) => {
    if (Math.abs(Math.log(value / target)) < Math.abs(Math.log(values[best] / target))) best = index;
  });
  return best;
}
