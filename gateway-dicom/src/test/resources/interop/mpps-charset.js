// MPPS whose N-SET declares a Specific Character Set the N-CREATE did not need (PS3.4 Table F.7.2-1: (0008,0005)
// is 1C in N-SET, required when the modification list uses an extended character set):
//   node mpps-charset.js PORT CALLING CALLED SPS_ID ACCESSION PATIENT_ID STUDY_UID
// 1. N-CREATE IN PROGRESS, all ASCII, no (0008,0005)          -> 0x0000
// 2. N-SET COMPLETED, ISO_IR 192, an accented description     -> 0x0000
// Prints RESULT {"uid":...,"statuses":[...],"comments":[...]}
'use strict';
const { dimse, result, client, responses } = require('./common');
const [port, calling, called, spsId, accession, patientId, studyUid] = process.argv.slice(2);
const MPPS = dimse.constants.SopClass.ModalityPerformedProcedureStep;
const uid = '2.25.' + BigInt('0x' + require('crypto').randomBytes(15).toString('hex')).toString();

const createAttrs = {
  PatientName: 'MARTIN^JEAN',
  PatientID: patientId,
  PatientBirthDate: '19800517',
  PatientSex: 'M',
  ScheduledStepAttributesSequence: [{
    StudyInstanceUID: studyUid,
    AccessionNumber: accession,
    ScheduledProcedureStepID: spsId,
    RequestedProcedureID: 'RP' + spsId,
    ReferencedStudySequence: [],
  }],
  PerformedProcedureStepID: 'PPS2',
  PerformedStationAETitle: calling,
  PerformedStationName: 'IRM 2',
  PerformedLocation: '',
  PerformedProcedureStepStartDate: '20261125',
  PerformedProcedureStepStartTime: '093000',
  PerformedProcedureStepStatus: 'IN PROGRESS',
  PerformedProcedureStepDescription: '',
  PerformedProcedureTypeDescription: '',
  ProcedureCodeSequence: [],
  PerformedProcedureStepEndDate: '',
  PerformedProcedureStepEndTime: '',
  Modality: 'MR',
  StudyID: '1',
  PerformedProtocolCodeSequence: [],
  PerformedSeriesSequence: [],
};
const setAttrs = {
  SpecificCharacterSet: 'ISO_IR 192',
  PerformedProcedureStepStatus: 'COMPLETED',
  PerformedProcedureStepDescription: 'IRM encéphale SEP',
  PerformedProcedureStepEndDate: '20261125',
  PerformedProcedureStepEndTime: '100500',
};

const { statuses, comments, track } = responses();
const create = track(new dimse.requests.NCreateRequest(MPPS, uid), createAttrs);
const complete = track(new dimse.requests.NSetRequest(MPPS, uid), setAttrs);

const c = client(() => result({ uid, statuses, comments }));
[create, complete].forEach((r) => c.addRequest(r));
c.send('127.0.0.1', Number(port), calling, called);
