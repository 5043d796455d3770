// The XOR truth table with what the network makes of each row now: its output and its cost.
// With one example per iteration (SGD) the four costs move unevenly, which is the point of
// showing them side by side. The row the walkthrough is on is marked (with text, not only
// colour).
//
//   const table = createXorTable(container);
//   table.update(examples, currentRow, written)   examples: state().examples of the simulator;
//       every number is their text (input_labels, target_labels, output_labels, loss_label).
//       written: null, or {row, output, loss}: that row's output and cost as the walkthrough's
//       formulas write them (the same quantities, so the same digits on one screen).

export function createXorTable(container) {
  // A screen narrower than the table (320 px) scrolls the table in its box, not the page.
  const box = document.createElement('div');
  box.className = 'xor-table-box';
  const table = document.createElement('table');
  table.className = 'xor-table';
  table.innerHTML = `
    <caption>XOR: the four training examples</caption>
    <thead><tr>
      <th scope="col">x<sub>1</sub></th><th scope="col">x<sub>2</sub></th>
      <th scope="col">target y</th><th scope="col">output a<sub>1</sub><sup>(3)</sup></th>
      <th scope="col">cost E</th><th scope="col">right side of 0.5?</th>
    </tr></thead>
    <tbody></tbody>`;
  box.append(table);
  container.append(box);
  const body = table.tBodies[0];

  function update(examples, currentRow = null, written = null) {
    while (body.rows.length < examples.length) {
      const row = body.insertRow();
      for (let c = 0; c < 6; c++) row.insertCell();
    }
    examples.forEach((example, k) => {
      const cells = body.rows[k].cells;
      const formulas = written?.row === k ? written : null;
      const values = [...example.input_labels, example.target_labels[0],
                      formulas ? formulas.output : example.output_labels[0],
                      formulas ? formulas.loss : example.loss_label, example.correct ? 'yes' : 'no'];
      values.forEach((value, c) => { cells[c].textContent = value; });
      cells[5].className = example.correct ? 'xor-yes' : 'xor-no';
      const current = k === currentRow;
      body.rows[k].classList.toggle('xor-current', current);
      if (current) {
        cells[0].insertAdjacentHTML('afterbegin', '<span class="xor-marker" aria-hidden="true">&#9656; </span>');
        body.rows[k].setAttribute('aria-current', 'true');
        body.rows[k].title = 'The walkthrough is on this example';
      } else {
        body.rows[k].removeAttribute('aria-current');
        body.rows[k].removeAttribute('title');
      }
    });
  }

  return {update};
}
