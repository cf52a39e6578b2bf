// MPPS as a scanner sends it (IHE RAD-6 then RAD-7), plus what must be refused:
//   node mpps.js PORT CALLING CALLED SPS_ID ACCESSION PATIENT_ID STUDY_UID
// 1. N-CREATE IN PROGRESS                         -> 0x0000
// 2. N-CREATE of the same instance again           -> 0x0111 duplicate
// 3. N-SET COMPLETED with end date/time and codes  -> 0x0000
// 4. N-SET after COMPLETED                         -> 0x0110 (may no longer be updated)
// 5. N-SET of an unknown instance                  -> 0x0112
// Prints RESULT {"statuses":[...],"comments":[...]}
'use strict';
const { dimse, result, client, responses } = require('./common');
const [port, calling, called, spsId, accession, patientId, studyUid] = process.argv.slice(2);
const MPPS = dimse.constants.SopClass.ModalityPerformedProcedureStep;
const uid = '2.25.' + BigInt('0x' + require('crypto').randomBytes(15).toString('hex')).toString();

const createAttrs = {
  SpecificCharacterSet: 'ISO_IR 192',
  PatientName: 'DUPRÉ^HÉLÈNE',
  PatientID: patientId,
  PatientBirthDate: '19800517',
  PatientSex: 'F',
  ScheduledStepAttributesSequence: [{
    StudyInstanceUID: studyUid,
    AccessionNumber: accession,
    ScheduledProcedureStepID: spsId,
    RequestedProcedureID: 'RP' + spsId,
    ScheduledProcedureStepDescription: 'OFSEP ROUTINE',
    ReferencedStudySequence: [],
    ScheduledProtocolCodeSequence: [],
  }],
  PerformedProcedureStepID: 'PPS1',
  PerformedStationAETitle: calling,
  PerformedStationName: 'IRM 2',
  PerformedLocation: '',
  PerformedProcedureStepStartDate: '20261125',
  PerformedProcedureStepStartTime: '093000',
  PerformedProcedureStepStatus: 'IN PROGRESS',
  PerformedProcedureStepDescription: 'OFSEP ROUTINE',
  PerformedProcedureTypeDescription: '',
  ProcedureCodeSequence: [],
  PerformedProcedureStepEndDate: '',
  PerformedProcedureStepEndTime: '',
  Modality: 'MR',
  StudyID: '1',
  PerformedProtocolCodeSequence: [],
  PerformedSeriesSequence: [],
  ReferencedPatientSequence: [],
};
const setAttrs = {
  PerformedProcedureStepStatus: 'COMPLETED',
  PerformedProcedureStepEndDate: '20261125',
  PerformedProcedureStepEndTime: '100500',
  PerformedProtocolCodeSequence: [{ CodeValue: 'OFSEP_ROUTINE', CodingSchemeDesignator: '99OFSEP', CodeMeaning: 'OFSEP routine follow-up' }],
  PerformedSeriesSequence: [{
    PerformingPhysicianName: '', ProtocolName: 'T1 3D', OperatorsName: '', SeriesInstanceUID: uid + '.1',
    SeriesDescription: 'T1 3D', RetrieveAETitle: '', ReferencedImageSequence: [],
    ReferencedNonImageCompositeSOPInstanceSequence: [],
  }],
};

const { statuses, comments, track } = responses();
const create = track(new dimse.requests.NCreateRequest(MPPS, uid), createAttrs);
const duplicate = track(new dimse.requests.NCreateRequest(MPPS, uid), createAttrs);
const complete = track(new dimse.requests.NSetRequest(MPPS, uid), setAttrs);
const again = track(new dimse.requests.NSetRequest(MPPS, uid), { PerformedProcedureStepStatus: 'DISCONTINUED', PerformedProcedureStepEndDate: '20261125', PerformedProcedureStepEndTime: '101000' });
const unknown = track(new dimse.requests.NSetRequest(MPPS, uid + '.999'), setAttrs);

const c = client(() => result({ uid, statuses, comments }));
[create, duplicate, complete, again, unknown].forEach((r) => c.addRequest(r));
c.send('127.0.0.1', Number(port), calling, called);
