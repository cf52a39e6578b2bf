// C-FIND then C-CANCEL after the first pending response: node mwl-cancel.js PORT CALLING CALLED
// Prints RESULT {"pending":n,"final":status}
'use strict';
const { dimse, result, client, worklistFind, isPending } = require('./common');
const [port, calling, called] = process.argv.slice(2);
let pending = 0;
let final = null;
let cancelled = false;
const request = worklistFind({
  PatientName: '', PatientID: '',
  ScheduledProcedureStepSequence: [{ ScheduledStationAETitle: '', ScheduledProcedureStepID: '' }],
});
const c = client(() => result({ pending, final }));
request.on('response', (response) => {
  const s = response.getStatus();
  if (isPending(s)) {
    pending++;
    if (!cancelled) {
      cancelled = true;
      c.cancel(request);
    }
  } else {
    final = s;
  }
});
c.addRequest(request);
c.send('127.0.0.1', Number(port), calling, called);
