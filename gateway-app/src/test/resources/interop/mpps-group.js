// MPPS in the IHE RAD-6 group case: one N-CREATE whose Scheduled Step Attributes Sequence references two
// scheduled steps (two requested procedures, each with its study and accession), then N-SET with the final status (NONE: no N-SET).
//   node mpps-group.js PORT CALLING CALLED PATIENT_ID FINAL_STATUS SPS1 ACC1 STUDY1 SPS2 ACC2 STUDY2
// Prints RESULT {"statuses":[create, set]}
'use strict';
const dimse = require('dcmjs-dimse');
const [port, calling, called, patientId, finalStatus, sps1, acc1, study1, sps2, acc2, study2] = process.argv.slice(2);
const MPPS = dimse.constants.SopClass.ModalityPerformedProcedureStep;
const uid = '2.25.' + BigInt('0x' + require('crypto').randomBytes(15).toString('hex')).toString();
setTimeout(() => { process.stdout.write('ERROR timeout\n'); process.exit(2); }, 60000).unref();

function step(sps, acc, study) {
  return {
    StudyInstanceUID: study, AccessionNumber: acc, ScheduledProcedureStepID: sps, RequestedProcedureID: '',
    ScheduledProcedureStepDescription: '', ReferencedStudySequence: [], ScheduledProtocolCodeSequence: [],
  };
}
const create = new dimse.requests.NCreateRequest(MPPS, uid);
create.setDataset(new dimse.Dataset({
  PatientName: 'GROUP^CASE', PatientID: patientId, PatientBirthDate: '19800115', PatientSex: 'F',
  ScheduledStepAttributesSequence: [step(sps1, acc1, study1), step(sps2, acc2, study2)],
  PerformedProcedureStepID: 'PPS-GROUP', PerformedStationAETitle: calling, PerformedStationName: 'IRM 1',
  PerformedLocation: '', PerformedProcedureStepStartDate: '20261204', PerformedProcedureStepStartTime: '093000',
  PerformedProcedureStepStatus: 'IN PROGRESS', PerformedProcedureStepDescription: 'brain and spine',
  PerformedProcedureTypeDescription: '', ProcedureCodeSequence: [], PerformedProcedureStepEndDate: '',
  PerformedProcedureStepEndTime: '', Modality: 'MR', StudyID: '1', PerformedProtocolCodeSequence: [],
  PerformedSeriesSequence: [], ReferencedPatientSequence: [],
}));
const set = new dimse.requests.NSetRequest(MPPS, uid);
set.setDataset(new dimse.Dataset({
  PerformedProcedureStepStatus: finalStatus, PerformedProcedureStepEndDate: '20261204',
  PerformedProcedureStepEndTime: '100500', PerformedSeriesSequence: [],
}));
const statuses = [];
[create, set].forEach((r) => r.on('response', (rsp) => statuses.push(rsp.getStatus())));
const c = new dimse.Client();
c.on('networkError', (e) => { process.stdout.write('ERROR network ' + e + '\n'); process.exit(2); });
c.on('associationRejected', (r) => { process.stdout.write('ERROR rejected ' + JSON.stringify(r) + '\n'); process.exit(2); });
c.on('closed', () => process.stdout.write('RESULT ' + JSON.stringify({ uid, statuses }) + '\n'));
c.addRequest(create);
if (finalStatus !== 'NONE') {
  c.addRequest(set);
}
c.send('127.0.0.1', Number(port), calling, called);
